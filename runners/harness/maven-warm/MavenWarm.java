// A warm Maven for the command runner: Maven's core loaded, and a throwaway project built a
// few times in this JVM, before the job arrives; then the job's Maven command, in this process.
//
// The harness starts it as the candidate's uid, in the submission's (still empty) folder, with
// no secret and no file of the job: `maven-warm WARMUP_PROJECT`, its stdin a pipe. The warm-up
// builds copy the image's WARMUP_PROJECT into the temporary folder, offline and quiet, and print
// nothing; a job that comes meanwhile waits only for the build under way. Once the submission
// and the hidden tests are in place, the harness writes the command (`mvn` and its arguments,
// each ended by a NUL byte) to the pipe and closes it; this process runs the arguments as `mvn`
// would (MavenCli in the realm Maven's launcher builds) and exits with Maven's status. Under
// gVisor the first build in a JVM takes about 5 s and the third under 2 s: what the warm-up pays
// is class loading, verifying and compiling Maven, the compiler and surefire, none of which
// depends on the candidate's code.

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.launcher.Launcher;

public final class MavenWarm {
  private static final int WARMUP_BUILDS = 3;

  private MavenWarm() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: maven-warm WARMUP_PROJECT (the job's arguments on stdin)");
      System.exit(2);
    }
    Path warmup = Paths.get(args[0]);
    InputStream control = System.in;
    String workingDirectory = System.getProperty("user.dir");

    Launcher launcher = new Launcher();
    launcher.setSystemClassLoader(Thread.currentThread().getContextClassLoader());
    try (InputStream conf = new FileInputStream(System.getProperty("classworlds.conf"))) {
      launcher.configure(conf);
    }
    ClassWorld world = launcher.getWorld();
    Thread.currentThread().setContextClassLoader(launcher.getMainRealm());
    Method doMain = launcher.getMainClass().getMethod("doMain", String[].class, ClassWorld.class);

    // Maven sets system properties as it builds (user.dir, each -D of its command line); the
    // job starts with the ones this JVM started with.
    Properties started = (Properties) System.getProperties().clone();
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(quiet);
    System.setErr(quiet);
    try {
      // Between builds, a job that has come goes first: it would wait for a whole build.
      for (int round = 0; round < WARMUP_BUILDS && control.available() == 0; round++) {
        Path copy = Files.createTempDirectory("maven-warmup");
        try {
          copyTree(warmup, copy);
          System.setProperty("maven.multiModuleProjectDirectory", copy.toString());
          doMain.invoke(null, new String[] {"-o", "-q", "-B", "-f",
              copy.resolve("pom.xml").toString(), "test"}, world);
        } catch (ReflectiveOperationException | IOException | RuntimeException warmupFailed) {
          break; // a cold JVM builds the job just the same, only slower
        } finally {
          removeTree(copy);
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    List<String> job = readJob(control);
    if (job == null) {
      System.exit(3); // the harness closed the pipe without a job: it runs cold, or not at all
    }
    System.setProperties(started);
    System.setProperty("maven.multiModuleProjectDirectory", workingDirectory);
    String[] arguments = job.subList(1, job.size()).toArray(new String[0]);
    int status = (Integer) doMain.invoke(null, arguments, world);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /** The command's words, each ended by a NUL byte; null when no job came. */
  private static List<String> readJob(InputStream control) throws IOException {
    byte[] data;
    try (InputStream in = control) {
      data = in.readAllBytes();
    }
    if (data.length == 0) {
      return null;
    }
    List<String> job = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == 0) {
        job.add(new String(data, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return job;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void removeTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
