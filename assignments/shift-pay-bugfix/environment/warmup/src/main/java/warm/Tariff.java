package warm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** What a stay in the garage costs: per started hour, capped per day. */
public enum Tariff {
  STANDARD(new BigDecimal("2.40"), new BigDecimal("18.00")),
  RESIDENT(new BigDecimal("1.10"), new BigDecimal("7.50"));

  private final BigDecimal hourly;
  private final BigDecimal dailyCap;

  Tariff(BigDecimal hourly, BigDecimal dailyCap) {
    this.hourly = hourly;
    this.dailyCap = dailyCap;
  }

  public BigDecimal price(Duration parked) {
    long days = parked.toDays();
    Duration rest = parked.minusDays(days);
    long hours = rest.toMinutes() / 60 + (rest.toMinutes() % 60 == 0 ? 0 : 1);
    BigDecimal partial = hourly.multiply(BigDecimal.valueOf(hours)).min(dailyCap);
    return dailyCap.multiply(BigDecimal.valueOf(days)).add(partial)
        .setScale(2, RoundingMode.HALF_EVEN);
  }
}
