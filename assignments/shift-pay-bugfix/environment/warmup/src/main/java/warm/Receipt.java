package warm;

import java.math.BigDecimal;
import java.util.List;

/** The week's receipt of one account: a line per stay, and their total. */
public record Receipt(String account, List<ReceiptLine> lines) {
  public BigDecimal total() {
    return lines.stream().map(ReceiptLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
