package warm; public final class Warm { public static int answer() { return 42; } }
