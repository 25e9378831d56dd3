package com.kestrel.shiftpay.pay;

import com.kestrel.shiftpay.model.ClockedShift;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * How much of a shift is paid, and how much of that falls in the night window.
 *
 * @param workDate     the date the shift started on, at the site
 * @param paidMinutes  minutes from clock-in to clock-out, less the break
 * @param nightMinutes paid minutes between 22:00 and 06:00 at the site
 */
public record WorkedTime(LocalDate workDate, int paidMinutes, int nightMinutes) {

    /**
     * The worked time of a shift at a site in {@code zone}. The break is taken from the day part
     * of the shift where there is one, and from the night part only when the day part is shorter
     * than the break.
     *
     * <p>Minutes are elapsed time between the clock instants: a night shift is nine hours long
     * on the night the clocks go back and seven on the night they go forward, whatever the wall
     * clock says. Local time only decides the work date and where the night window lies.
     */
    public static WorkedTime of(ClockedShift shift, ZoneId zone) {
        Instant start = shift.clockIn();
        Instant end = shift.clockOut();
        int clocked = minutesBetween(start, end);
        if (shift.breakMinutes() >= clocked) {
            throw new IllegalArgumentException("shift " + shift.id() + ": the break is as long as the shift");
        }
        int night = nightMinutes(start, end, zone);
        int day = clocked - night;
        int breakInNight = Math.max(0, shift.breakMinutes() - day);
        return new WorkedTime(LocalDate.ofInstant(start, zone), clocked - shift.breakMinutes(),
                night - breakInNight);
    }

    /**
     * Minutes of [start, end) inside a night window: 22:00 on one day to 06:00 on the next, local
     * time at the site, each turned into the instant it is on that date.
     */
    private static int nightMinutes(Instant start, Instant end, ZoneId zone) {
        int minutes = 0;
        // the window that began the evening before the shift's first day may still be running
        for (LocalDate day = LocalDate.ofInstant(start, zone).minusDays(1);
             !day.isAfter(LocalDate.ofInstant(end, zone)); day = day.plusDays(1)) {
            Instant windowStart = day.atTime(PayRules.NIGHT_STARTS).atZone(zone).toInstant();
            Instant windowEnd = day.plusDays(1).atTime(PayRules.NIGHT_ENDS).atZone(zone).toInstant();
            minutes += overlap(start, end, windowStart, windowEnd);
        }
        return minutes;
    }

    private static int overlap(Instant start, Instant end, Instant windowStart, Instant windowEnd) {
        Instant from = start.isAfter(windowStart) ? start : windowStart;
        Instant to = end.isBefore(windowEnd) ? end : windowEnd;
        return from.isBefore(to) ? minutesBetween(from, to) : 0;
    }

    private static int minutesBetween(Instant from, Instant to) {
        return Math.toIntExact(Duration.between(from, to).toMinutes());
    }
}
