package warm;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

/** The barrier's export: plate;tariff;in;out, local times of the garage's zone. */
public final class StayParser {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private final ZoneId zone;

  public StayParser(ZoneId zone) {
    this.zone = zone;
  }

  public List<Stay> parse(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank()).map(this::line).collect(Collectors.toList());
  }

  private Stay line(String line) {
    String[] parts = line.split(";");
    if (parts.length != 4) {
      throw new IllegalArgumentException("expected 4 fields: " + line);
    }
    try {
      return new Stay(parts[0].trim(), Tariff.valueOf(parts[1].trim()),
          LocalDateTime.parse(parts[2].trim(), FORMAT).atZone(zone),
          LocalDateTime.parse(parts[3].trim(), FORMAT).atZone(zone));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad time in: " + line, e);
    }
  }
}
