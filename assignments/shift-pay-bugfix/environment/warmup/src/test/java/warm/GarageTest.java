package warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GarageTest {
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private final StayParser parser = new StayParser(ZONE);

  private Garage garage(String... lines) {
    Garage garage = new Garage(ZONE);
    parser.parse(List.of(lines)).forEach(garage::record);
    return garage;
  }

  @Test
  void theClockChangeNightIsAnHourLonger() {
    Garage garage = garage("B-XY 12;STANDARD;2026-10-24 22:00;2026-10-25 06:00");
    assertEquals(540, garage.receipt("acme").lines().get(0).minutes());
  }

  @Test
  void receiptsListStaysInOrderAndAddUp() {
    Receipt receipt = garage(
        "B-2;RESIDENT;2026-03-03 09:00;2026-03-03 10:30",
        "B-1;STANDARD;2026-03-02 08:00;2026-03-02 09:00").receipt("acme");
    assertEquals("B-1", receipt.lines().get(0).plate());
    assertEquals(new BigDecimal("4.60"), receipt.total());
  }

  @Test
  void revenueIsGroupedByIsoWeek() {
    Map<String, BigDecimal> weeks = garage(
        "B-1;STANDARD;2026-12-31 10:00;2026-12-31 11:00",
        "B-2;STANDARD;2027-01-04 10:00;2027-01-04 11:00").revenueByWeek();
    assertEquals(Map.of("2026-W53", new BigDecimal("2.40"), "2027-W01", new BigDecimal("2.40")),
        weeks);
  }

  @Test
  void aStayEndingBeforeItStartsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> garage("B-3;STANDARD;2026-03-02 10:00;2026-03-02 09:00"));
    assertTrue(e.getMessage().contains("B-3"));
  }

  @Test
  void aBadLineIsNamed() {
    assertThrows(IllegalArgumentException.class, () -> garage("B-4;STANDARD;yesterday;today"));
    assertThrows(IllegalArgumentException.class, () -> garage("B-5;STANDARD"));
  }
}
