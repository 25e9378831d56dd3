import com.kestrel.shiftpay.model.ClockedShift;
import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.model.Worker;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PAY-225: paid minutes beyond 40 hours in a week, Monday to Sunday at the site, earn the
 * overtime premium; a shift counts in the week of its work date. 3 February 2025 is a Monday.
 */
class WeeklyOvertimeTest {

    private static final Worker ANA = Payroll.worker("14.10");
    private static final LocalDate FEBRUARY_3 = LocalDate.of(2025, 2, 3);

    /** Day shifts from 06:00 at Hamburg on consecutive days. */
    private static List<ClockedShift> days(String firstDate, int count, int minutesEach) {
        List<ClockedShift> shifts = new ArrayList<>();
        LocalDate date = LocalDate.parse(firstDate);
        for (int i = 0; i < count; i++) {
            shifts.add(Payroll.localShift(ANA, Payroll.HAMBURG, date.plusDays(i) + "T06:00", minutesEach));
        }
        return shifts;
    }

    @Test
    void fortyFiveHoursInAWeekOf2025GiveFiveHoursOvertime() {
        Payslip payslip = Payroll.payslip(ANA, FEBRUARY_3, days("2025-02-03", 5, 540));

        PayLine overtime = Payroll.only(payslip, PayCode.OVERTIME_PREMIUM);
        assertEquals(300, overtime.minutes());
        assertEquals(FEBRUARY_3, overtime.date());
        assertEquals(new BigDecimal("35.25"), overtime.amount());
    }

    @Test
    void exactlyFortyHoursIsNoOvertime() {
        Payslip payslip = Payroll.payslip(ANA, FEBRUARY_3, days("2025-02-03", 5, 480));

        assertTrue(payslip.lines(PayCode.OVERTIME_PREMIUM).isEmpty(), payslip.lines().toString());
    }

    @Test
    void weekAcrossNewYearIsOneWeek() {
        // Monday 30 December 2024 to Friday 3 January 2025, nine hours a day
        Payslip payslip = Payroll.payslip(ANA, LocalDate.of(2024, 12, 23), days("2024-12-30", 5, 540));

        PayLine overtime = Payroll.only(payslip, PayCode.OVERTIME_PREMIUM);
        assertEquals(300, overtime.minutes());
        assertEquals(LocalDate.of(2024, 12, 30), overtime.date());
    }

    @Test
    void sundayShiftBelongsToTheWeekItEnds() {
        List<ClockedShift> shifts = new ArrayList<>(days("2025-02-03", 5, 480));
        shifts.add(Payroll.localShift(ANA, Payroll.HAMBURG, "2025-02-09T10:00", 240));

        PayLine overtime = Payroll.only(Payroll.payslip(ANA, FEBRUARY_3, shifts), PayCode.OVERTIME_PREMIUM);

        assertEquals(240, overtime.minutes());
        assertEquals(FEBRUARY_3, overtime.date());
    }

    @Test
    void sundayNightIntoMondayCountsInTheWeekItStarts() {
        List<ClockedShift> shifts = new ArrayList<>(days("2025-02-03", 5, 480));
        shifts.add(Payroll.localShift(ANA, Payroll.HAMBURG, "2025-02-09T22:00", 480));

        PayLine overtime = Payroll.only(Payroll.payslip(ANA, FEBRUARY_3, shifts), PayCode.OVERTIME_PREMIUM);

        assertEquals(480, overtime.minutes());
        assertEquals(FEBRUARY_3, overtime.date());
    }

    @Test
    void shiftJustAfterMidnightOnMondayOpensTheNextWeek() {
        // 00:30 on Monday in Hamburg is still Sunday in UTC
        List<ClockedShift> shifts = new ArrayList<>(days("2025-02-03", 5, 480));
        shifts.add(Payroll.localShift(ANA, Payroll.HAMBURG, "2025-02-10T00:30", 360));

        Payslip payslip = Payroll.payslip(ANA, FEBRUARY_3, shifts);

        assertTrue(payslip.lines(PayCode.OVERTIME_PREMIUM).isEmpty(), payslip.lines().toString());
    }

    @Test
    void eachWeekIsCountedOnItsOwn() {
        List<ClockedShift> shifts = new ArrayList<>(days("2025-02-03", 5, 540)); // 45 hours
        shifts.addAll(days("2025-02-10", 4, 480));                               // 32 hours

        Payslip payslip = Payroll.payslip(ANA, FEBRUARY_3, shifts);

        PayLine overtime = Payroll.only(payslip, PayCode.OVERTIME_PREMIUM);
        assertEquals(300, overtime.minutes());
        assertEquals(FEBRUARY_3, overtime.date());
    }

    @Test
    void twoWeeksOfOvertimeGiveTwoLinesInWeekOrder() {
        List<ClockedShift> shifts = new ArrayList<>(days("2025-02-10", 6, 420)); // 42 hours
        shifts.addAll(days("2025-02-03", 5, 540));                               // 45 hours

        Payslip payslip = Payroll.payslip(ANA, FEBRUARY_3, shifts);

        List<PayLine> overtime = payslip.lines(PayCode.OVERTIME_PREMIUM);
        assertEquals(List.of(FEBRUARY_3, LocalDate.of(2025, 2, 10)), overtime.stream().map(PayLine::date).toList());
        assertEquals(List.of(300, 120), overtime.stream().map(PayLine::minutes).toList());
    }

    @Test
    void overtimeIn2024IsStillCountedAsBefore() {
        Payslip payslip = Payroll.payslip(ANA, LocalDate.of(2024, 6, 3), days("2024-06-03", 5, 540));

        PayLine overtime = Payroll.only(payslip, PayCode.OVERTIME_PREMIUM);
        assertEquals(300, overtime.minutes());
        assertEquals(LocalDate.of(2024, 6, 3), overtime.date());
    }
}
