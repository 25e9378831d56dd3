package com.kestrel.shiftpay.pay;

import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Overtime (PAY-140): paid minutes beyond 40 hours in a week earn the overtime premium. */
final class WeeklyOvertime {

    private WeeklyOvertime() {
    }

    /**
     * One overtime line per week with more than 40 paid hours, dated the Monday of the week, in
     * week order. {@code worked} is in clock-in order; a shift counts in the week of its work date.
     */
    static List<PayLine> lines(List<WorkedTime> worked, BigDecimal baseRate) {
        Map<LocalDate, Integer> minutes = new TreeMap<>();
        for (WorkedTime time : worked) {
            minutes.merge(mondayOf(time.workDate()), time.paidMinutes(), Integer::sum);
        }
        BigDecimal rate = PayRules.overtimePremiumRate(baseRate);
        List<PayLine> lines = new ArrayList<>();
        minutes.forEach((monday, total) -> {
            int over = total - PayRules.WEEKLY_MINUTES_BEFORE_OVERTIME;
            if (over > 0) {
                lines.add(new PayLine(PayCode.OVERTIME_PREMIUM, monday, over, rate,
                        Money.amount(over, rate)));
            }
        });
        return lines;
    }

    /**
     * The week of a date, as the Monday that starts it (ISO weeks: Monday to Sunday). A week is
     * not "the year and ChronoField.ALIGNED_WEEK_OF_YEAR": aligned weeks start on whatever day
     * 1 January was: a Monday in 2024, a Wednesday in 2025 (PAY-225).
     */
    private static LocalDate mondayOf(LocalDate date) {
        return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
