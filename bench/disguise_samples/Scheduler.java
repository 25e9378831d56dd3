import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** Jobs with durations and deadlines on one machine: earliest deadline first, lateness. */
public class Scheduler {
    static class Job {
        final String name;
        final int duration;
        final int deadline;

        Job(String name, int duration, int deadline) {
            this.name = name;
            this.duration = duration;
            this.deadline = deadline;
        }
    }

    private final List<Job> jobs = new ArrayList<>();

    public void submit(String name, int duration, int deadline) {
        if (duration < 0 || deadline < 0) {
            throw new IllegalArgumentException("negative time");
        }
        jobs.add(new Job(name, duration, deadline));
    }

    public List<String> order() {
        PriorityQueue<Job> queue = new PriorityQueue<>((a, b) -> a.deadline - b.deadline);
        queue.addAll(jobs);
        List<String> names = new ArrayList<>();
        while (!queue.isEmpty()) {
            names.add(queue.poll().name);
        }
        return names;
    }

    public int maxLateness() {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort((a, b) -> Integer.compare(a.deadline, b.deadline));
        int time = 0;
        int worst = 0;
        for (Job job : sorted) {
            time += job.duration;
            int late = time - job.deadline;
            if (late > worst) {
                worst = late;
            }
        }
        return worst;
    }

    public int onTimeCount() {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort((a, b) -> Integer.compare(a.duration, b.duration));
        int time = 0;
        int count = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Job job = sorted.get(i);
            if (time + job.duration <= job.deadline) {
                time += job.duration;
                count++;
            }
        }
        return count;
    }
}
