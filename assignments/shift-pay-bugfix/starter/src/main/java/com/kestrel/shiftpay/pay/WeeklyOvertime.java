package com.kestrel.shiftpay.pay;

import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Overtime (PAY-140): paid minutes beyond 40 hours in a week earn the overtime premium. */
final class WeeklyOvertime {

    private record Week(int year, int number) {
    }

    private WeeklyOvertime() {
    }

    /**
     * One overtime line per week with more than 40 paid hours, dated the Monday of the week, in
     * week order. {@code worked} is in clock-in order; a shift counts in the week of its work date.
     */
    static List<PayLine> lines(List<WorkedTime> worked, BigDecimal baseRate) {
        Map<Week, Integer> minutes = new LinkedHashMap<>();
        Map<Week, LocalDate> mondays = new LinkedHashMap<>();
        for (WorkedTime time : worked) {
            Week week = weekOf(time.workDate());
            minutes.merge(week, time.paidMinutes(), Integer::sum);
            mondays.putIfAbsent(week, time.workDate().with(DayOfWeek.MONDAY));
        }
        BigDecimal rate = PayRules.overtimePremiumRate(baseRate);
        List<PayLine> lines = new ArrayList<>();
        minutes.forEach((week, total) -> {
            int over = total - PayRules.WEEKLY_MINUTES_BEFORE_OVERTIME;
            if (over > 0) {
                lines.add(new PayLine(PayCode.OVERTIME_PREMIUM, mondays.get(week), over, rate,
                        Money.amount(over, rate)));
            }
        });
        return lines;
    }

    private static Week weekOf(LocalDate date) {
        return new Week(date.getYear(), date.get(ChronoField.ALIGNED_WEEK_OF_YEAR));
    }
}
