package warm;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The stays of a garage, priced and grouped by ISO week of their start. */
public final class Garage {
  private final ZoneId zone;
  private final List<Stay> stays = new ArrayList<>();

  public Garage(ZoneId zone) {
    this.zone = zone;
  }

  public void record(Stay stay) {
    stays.add(stay);
  }

  public Receipt receipt(String account) {
    List<ReceiptLine> lines = stays.stream()
        .sorted(Comparator.comparing(Stay::in))
        .map(s -> new ReceiptLine(s.plate(), s.parked().toMinutes(), s.tariff().price(s.parked())))
        .collect(Collectors.toList());
    return new Receipt(account, lines);
  }

  public Map<String, BigDecimal> revenueByWeek() {
    Map<String, BigDecimal> weeks = new TreeMap<>();
    for (Stay stay : stays) {
      LocalDate day = stay.in().withZoneSameInstant(zone).toLocalDate();
      String week = day.get(IsoFields.WEEK_BASED_YEAR) + "-W"
          + String.format("%02d", day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      weeks.merge(week, stay.tariff().price(stay.parked()), BigDecimal::add);
    }
    return weeks;
  }
}
