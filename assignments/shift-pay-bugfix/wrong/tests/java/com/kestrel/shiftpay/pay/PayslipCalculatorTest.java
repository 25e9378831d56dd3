package com.kestrel.shiftpay.pay;

import com.kestrel.shiftpay.model.ClockedShift;
import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.PayPeriod;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.model.Site;
import com.kestrel.shiftpay.model.SiteDirectory;
import com.kestrel.shiftpay.model.Worker;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayslipCalculatorTest {

    private static final Site HAMBURG = new Site("HAM-2", "Hamburg Billbrook DC", ZoneId.of("Europe/Berlin"));
    private static final Worker ANA = new Worker("W-0417", "Ana Duarte", new BigDecimal("14.10"));
    private static final Worker JONAS = new Worker("W-0502", "Jonas Berg", new BigDecimal("14.00"));

    private final PayslipCalculator calculator = new PayslipCalculator(SiteDirectory.of(HAMBURG));

    private static ClockedShift shift(String id, Worker worker, String clockIn, String clockOut, int breakMinutes) {
        return new ClockedShift(id, worker.id(), HAMBURG.id(), Instant.parse(clockIn), Instant.parse(clockOut),
                breakMinutes);
    }

    @Test
    void dayShiftIsPaidAtTheBaseRate() {
        // 06:00 to 14:30 in Hamburg (summer time, UTC+2), half an hour's break
        ClockedShift shift = shift("S-1", ANA, "2024-06-04T04:00:00Z", "2024-06-04T12:30:00Z", 30);

        Payslip payslip = calculator.calculate(ANA, PayPeriod.fortnightStarting(LocalDate.of(2024, 6, 3)),
                List.of(shift));

        assertEquals(List.of(new PayLine(PayCode.REGULAR, LocalDate.of(2024, 6, 4), 480,
                new BigDecimal("14.10"), new BigDecimal("112.80"))), payslip.lines());
        assertEquals(new BigDecimal("112.80"), payslip.total());
    }

    @Test
    void nightShiftEarnsTheNightPremium() {
        // 22:00 to 06:00 in Hamburg (winter time, UTC+1), half an hour's break
        ClockedShift shift = shift("S-2", JONAS, "2024-11-12T21:00:00Z", "2024-11-13T05:00:00Z", 30);

        Payslip payslip = calculator.calculate(JONAS, PayPeriod.fortnightStarting(LocalDate.of(2024, 11, 11)),
                List.of(shift));

        assertEquals(450, payslip.minutes(PayCode.REGULAR));
        assertEquals(450, payslip.minutes(PayCode.NIGHT_PREMIUM));
        PayLine night = payslip.lines(PayCode.NIGHT_PREMIUM).get(0);
        assertEquals(0, new BigDecimal("3.50").compareTo(night.rate()));
        assertEquals(new BigDecimal("26.25"), night.amount());
        assertEquals(new BigDecimal("131.25"), payslip.total());
    }

    @Test
    void breakIsTakenFromTheDayPartFirst() {
        // 20:00 to 02:00 in Hamburg with an hour's break: two day hours, four night hours
        ClockedShift shift = shift("S-3", ANA, "2024-11-14T19:00:00Z", "2024-11-15T01:00:00Z", 60);

        Payslip payslip = calculator.calculate(ANA, PayPeriod.fortnightStarting(LocalDate.of(2024, 11, 11)),
                List.of(shift));

        assertEquals(300, payslip.minutes(PayCode.REGULAR));
        assertEquals(240, payslip.minutes(PayCode.NIGHT_PREMIUM));
    }

    @Test
    void onlyTheWorkersShiftsOfThePeriodArePaid() {
        List<ClockedShift> export = List.of(
                shift("S-4", ANA, "2024-06-16T06:00:00Z", "2024-06-16T14:00:00Z", 0),   // Sunday before
                shift("S-5", ANA, "2024-06-17T06:00:00Z", "2024-06-17T14:00:00Z", 0),   // first Monday
                shift("S-6", JONAS, "2024-06-18T06:00:00Z", "2024-06-18T14:00:00Z", 0), // someone else
                shift("S-7", ANA, "2024-06-30T06:00:00Z", "2024-06-30T14:00:00Z", 0),   // last Sunday
                shift("S-8", ANA, "2024-07-01T06:00:00Z", "2024-07-01T14:00:00Z", 0));  // next period

        Payslip payslip = calculator.calculate(ANA, PayPeriod.fortnightStarting(LocalDate.of(2024, 6, 17)), export);

        assertEquals(List.of(LocalDate.of(2024, 6, 17), LocalDate.of(2024, 6, 30)),
                payslip.lines().stream().map(PayLine::date).toList());
    }

    @Test
    void hoursBeyondFortyInAWeekEarnTheOvertimePremium() {
        // Monday 3 to Friday 7 June 2024, nine hours a day: 45 hours
        List<ClockedShift> week = new ArrayList<>();
        for (int day = 3; day <= 7; day++) {
            week.add(shift("S-" + day, ANA, "2024-06-0" + day + "T05:00:00Z", "2024-06-0" + day + "T14:00:00Z", 0));
        }

        Payslip payslip = calculator.calculate(ANA, PayPeriod.fortnightStarting(LocalDate.of(2024, 6, 3)), week);

        List<PayLine> overtime = payslip.lines(PayCode.OVERTIME_PREMIUM);
        assertEquals(1, overtime.size());
        assertEquals(LocalDate.of(2024, 6, 3), overtime.get(0).date());
        assertEquals(300, overtime.get(0).minutes());
        assertEquals(new BigDecimal("35.25"), overtime.get(0).amount());
        assertTrue(payslip.lines(PayCode.NIGHT_PREMIUM).isEmpty());
    }
}
