package com.kestrel.shiftpay.model;

/** The kinds of line on a payslip, as payroll exports them. */
public enum PayCode {
    /** Paid minutes of a shift at the base rate. */
    REGULAR("Hours worked"),
    /** Minutes worked between 22:00 and 06:00 at the site: 25 % of the base rate on top. */
    NIGHT_PREMIUM("Night premium 25%"),
    /** Minutes beyond 40 hours in a week (Monday to Sunday): 50 % of the base rate on top. */
    OVERTIME_PREMIUM("Overtime premium 50%");

    private final String label;

    PayCode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
