package warm;

import java.math.BigDecimal;

public record ReceiptLine(String plate, long minutes, BigDecimal amount) {}
