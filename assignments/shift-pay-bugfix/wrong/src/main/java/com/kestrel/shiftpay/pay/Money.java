package com.kestrel.shiftpay.pay;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Euros and hours as payroll reports them. */
public final class Money {

    private static final BigDecimal MINUTES_PER_HOUR = BigDecimal.valueOf(60);

    private Money() {
    }

    /** Minutes as hours with two decimals, as the payslip shows them (7 h 50 min is 7.83). */
    public static BigDecimal hours(int minutes) {
        return BigDecimal.valueOf(minutes).divide(MINUTES_PER_HOUR, 2, RoundingMode.HALF_UP);
    }

    /**
     * What {@code minutes} at {@code hourlyRate} come to, in euros and cents: minutes times rate
     * is exact, and the one division by 60 rounds half up to the cent. (Rounding the hours to
     * two decimals first, as the payslip prints them, lost up to 0.3 minutes a line: PAY-218.)
     */
    public static BigDecimal amount(int minutes, BigDecimal hourlyRate) {
        return BigDecimal.valueOf(minutes).multiply(hourlyRate).divide(MINUTES_PER_HOUR, 2, RoundingMode.HALF_UP);
    }
}
