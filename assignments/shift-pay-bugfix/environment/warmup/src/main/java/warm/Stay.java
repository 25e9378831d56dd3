package warm;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;

/** One car's stay, from the barrier's two timestamps. */
public record Stay(String plate, Tariff tariff, ZonedDateTime in, ZonedDateTime out) {
  public Stay {
    Objects.requireNonNull(plate, "plate");
    if (out.isBefore(in)) {
      throw new IllegalArgumentException("a stay cannot end before it starts: " + plate);
    }
  }

  public Duration parked() {
    return Duration.between(in.toInstant(), out.toInstant());
  }
}
