package warm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TariffTest {
  @Test
  void everyStartedHourCounts() {
    assertEquals(new BigDecimal("4.80"), Tariff.STANDARD.price(Duration.ofMinutes(61)));
  }

  @Test
  void aDayIsCapped() {
    assertEquals(new BigDecimal("18.00"), Tariff.STANDARD.price(Duration.ofHours(20)));
  }

  @Test
  void wholeDaysAreCappedEach() {
    assertEquals(new BigDecimal("17.20"), Tariff.RESIDENT.price(Duration.ofHours(50)));
  }

  @Test
  void nothingParkedIsFree() {
    assertEquals(new BigDecimal("0.00"), Tariff.RESIDENT.price(Duration.ZERO));
  }
}
