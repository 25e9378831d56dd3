package com.kestrel.shiftpay.pay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalTime;

/** The premiums of the collective agreement (Tarifvertrag Zeitarbeit, Kestrel's annex of 2023). */
public final class PayRules {

    /** The night window is 22:00 to 06:00, local time at the site. */
    public static final LocalTime NIGHT_STARTS = LocalTime.of(22, 0);
    public static final LocalTime NIGHT_ENDS = LocalTime.of(6, 0);

    /** Paid minutes in a week (Monday to Sunday) beyond these are overtime: 40 hours. */
    public static final int WEEKLY_MINUTES_BEFORE_OVERTIME = 40 * 60;

    static final BigDecimal NIGHT_PREMIUM = new BigDecimal("0.25");
    static final BigDecimal OVERTIME_PREMIUM = new BigDecimal("0.50");

    private PayRules() {
    }

    /** The hourly rate of the night premium for a base rate. */
    public static BigDecimal nightPremiumRate(BigDecimal baseRate) {
        return share(baseRate, NIGHT_PREMIUM);
    }

    /** The hourly rate of the overtime premium for a base rate. */
    public static BigDecimal overtimePremiumRate(BigDecimal baseRate) {
        return share(baseRate, OVERTIME_PREMIUM);
    }

    private static BigDecimal share(BigDecimal baseRate, BigDecimal share) {
        return baseRate.multiply(share).setScale(2, RoundingMode.HALF_UP);
    }
}
