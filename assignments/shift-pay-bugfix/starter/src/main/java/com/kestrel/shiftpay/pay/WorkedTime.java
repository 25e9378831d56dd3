package com.kestrel.shiftpay.pay;

import com.kestrel.shiftpay.model.ClockedShift;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
     */
    public static WorkedTime of(ClockedShift shift, ZoneId zone) {
        LocalDateTime start = LocalDateTime.ofInstant(shift.clockIn(), zone);
        LocalDateTime end = LocalDateTime.ofInstant(shift.clockOut(), zone);
        int clocked = (int) Duration.between(start, end).toMinutes();
        if (shift.breakMinutes() >= clocked) {
            throw new IllegalArgumentException("shift " + shift.id() + ": the break is as long as the shift");
        }
        int night = nightMinutes(start, end);
        int day = clocked - night;
        int breakInNight = Math.max(0, shift.breakMinutes() - day);
        return new WorkedTime(start.toLocalDate(), clocked - shift.breakMinutes(), night - breakInNight);
    }

    /** Minutes of [start, end) inside a night window: 22:00 on one day to 06:00 on the next. */
    private static int nightMinutes(LocalDateTime start, LocalDateTime end) {
        int minutes = 0;
        // the window that began the evening before the shift's first day may still be running
        for (LocalDate day = start.toLocalDate().minusDays(1); !day.isAfter(end.toLocalDate());
             day = day.plusDays(1)) {
            LocalDateTime windowStart = day.atTime(PayRules.NIGHT_STARTS);
            LocalDateTime windowEnd = day.plusDays(1).atTime(PayRules.NIGHT_ENDS);
            minutes += overlap(start, end, windowStart, windowEnd);
        }
        return minutes;
    }

    private static int overlap(LocalDateTime start, LocalDateTime end,
                               LocalDateTime windowStart, LocalDateTime windowEnd) {
        LocalDateTime from = start.isAfter(windowStart) ? start : windowStart;
        LocalDateTime to = end.isBefore(windowEnd) ? end : windowEnd;
        return from.isBefore(to) ? (int) Duration.between(from, to).toMinutes() : 0;
    }
}
