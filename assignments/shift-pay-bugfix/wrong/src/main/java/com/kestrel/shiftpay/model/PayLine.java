package com.kestrel.shiftpay.model;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One line of a payslip: {@code minutes} paid at the hourly {@code rate}, for {@code amount}
 * euros. {@code date} is the shift's work date, or the Monday of the week for overtime.
 */
public record PayLine(PayCode code, LocalDate date, int minutes, BigDecimal rate, BigDecimal amount) {

    public PayLine {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(amount, "amount");
        if (minutes < 0) {
            throw new IllegalArgumentException("negative minutes on a " + code + " line");
        }
    }
}
