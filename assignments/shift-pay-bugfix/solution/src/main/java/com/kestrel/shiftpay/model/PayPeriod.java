package com.kestrel.shiftpay.model;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A pay period: two whole weeks, Monday to Sunday, both days included. Kestrel pays every other
 * Friday for the fortnight that ended the Sunday before.
 */
public record PayPeriod(LocalDate first, LocalDate last) {

    public PayPeriod {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new IllegalArgumentException("a pay period starts on a Monday, not " + first);
        }
        if (!last.equals(first.plusDays(13))) {
            throw new IllegalArgumentException("a pay period is two weeks: " + first + " to " + last);
        }
    }

    /** The fortnight that starts on {@code monday}. */
    public static PayPeriod fortnightStarting(LocalDate monday) {
        return new PayPeriod(monday, monday.plusDays(13));
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(first) && !date.isAfter(last);
    }

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
