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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cases of PAY-212, PAY-218 and PAY-225, as the site managers reported them. */
class BugReportRegressionTest {

    private static final Site HAMBURG = new Site("HAM-2", "Hamburg Billbrook DC", ZoneId.of("Europe/Berlin"));
    private static final Site PORTO = new Site("OPO-1", "Porto Maia cross-dock", ZoneId.of("Europe/Lisbon"));
    private static final Worker ANA = new Worker("W-0417", "Ana Duarte", new BigDecimal("14.10"));

    private final PayslipCalculator calculator = new PayslipCalculator(SiteDirectory.of(HAMBURG, PORTO));

    private static ClockedShift shift(Site site, String clockIn, String clockOut, int breakMinutes) {
        return new ClockedShift("S-" + clockIn, ANA.id(), site.id(), Instant.parse(clockIn),
                Instant.parse(clockOut), breakMinutes);
    }

    private static ClockedShift local(String start, int minutes) {
        Instant in = LocalDateTime.parse(start).atZone(HAMBURG.zone()).toInstant();
        return new ClockedShift("S-" + start, ANA.id(), HAMBURG.id(), in, in.plus(Duration.ofMinutes(minutes)), 0);
    }

    private Payslip payslip(LocalDate monday, List<ClockedShift> shifts) {
        return calculator.calculate(ANA, PayPeriod.fortnightStarting(monday), shifts);
    }

    // PAY-212 ------------------------------------------------------------------------------

    @Test
    void pay212NightWhenTheClocksGoBackIsNineHoursOfNight() {
        // Hamburg, 22:00 CEST to 06:00 CET: the hour from 02:00 to 03:00 happened twice
        Payslip payslip = payslip(LocalDate.of(2024, 10, 21),
                List.of(shift(HAMBURG, "2024-10-26T20:00:00Z", "2024-10-27T05:00:00Z", 30)));

        assertEquals(510, payslip.minutes(PayCode.REGULAR));
        assertEquals(510, payslip.minutes(PayCode.NIGHT_PREMIUM));
        assertEquals(LocalDate.of(2024, 10, 26), payslip.lines().get(0).date());
    }

    @Test
    void pay212NightWhenTheClocksGoForwardIsSevenHoursOfNight() {
        Payslip payslip = payslip(LocalDate.of(2024, 3, 25),
                List.of(shift(HAMBURG, "2024-03-30T21:00:00Z", "2024-03-31T04:00:00Z", 0)));

        assertEquals(420, payslip.minutes(PayCode.REGULAR));
        assertEquals(420, payslip.minutes(PayCode.NIGHT_PREMIUM));
    }

    @Test
    void pay212PortoChangesItsClocksAtItsOwnOneOClock() {
        // Porto, 22:00 WEST to 06:00 WET
        Payslip payslip = payslip(LocalDate.of(2024, 10, 21),
                List.of(shift(PORTO, "2024-10-26T21:00:00Z", "2024-10-27T06:00:00Z", 0)));

        assertEquals(540, payslip.minutes(PayCode.REGULAR));
        assertEquals(540, payslip.minutes(PayCode.NIGHT_PREMIUM));
    }

    // PAY-218 ------------------------------------------------------------------------------

    @Test
    void pay218SevenHoursFiftyAtFourteenTen() {
        Payslip payslip = payslip(LocalDate.of(2025, 2, 3), List.of(local("2025-02-04T07:00", 470)));

        assertEquals(new BigDecimal("110.45"), payslip.lines().get(0).amount());
    }

    @Test
    void pay218PremiumRatesAreExactAndRoundedOnlyInTheAmount() {
        // 22:00 to 05:50: 470 minutes at 25 % of 14.10 = 3.525 is 27.6125
        Payslip payslip = payslip(LocalDate.of(2025, 2, 3), List.of(local("2025-02-04T22:00", 470)));

        PayLine night = payslip.lines(PayCode.NIGHT_PREMIUM).get(0);
        assertEquals(0, new BigDecimal("3.525").compareTo(night.rate()));
        assertEquals(new BigDecimal("27.61"), night.amount());
        assertEquals(new BigDecimal("138.06"), payslip.total());
    }

    @Test
    void pay218OneMinuteAndHalfCents() {
        assertEquals(new BigDecimal("0.24"), Money.amount(1, new BigDecimal("14.10")));   // 0.235
        assertEquals(new BigDecimal("6.03"), Money.amount(30, new BigDecimal("12.05")));  // 6.025
        assertEquals(new BigDecimal("112.00"), Money.amount(480, new BigDecimal("14")));
    }

    // PAY-225 ------------------------------------------------------------------------------

    private static List<ClockedShift> days(LocalDate first, int count, int minutes) {
        List<ClockedShift> shifts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shifts.add(local(first.plusDays(i) + "T06:00", minutes));
        }
        return shifts;
    }

    @Test
    void pay225OvertimeInA2025Week() {
        LocalDate monday = LocalDate.of(2025, 2, 3); // 1 January 2025 was a Wednesday
        Payslip payslip = payslip(monday, days(monday, 5, 540));

        List<PayLine> overtime = payslip.lines(PayCode.OVERTIME_PREMIUM);
        assertEquals(1, overtime.size());
        assertEquals(monday, overtime.get(0).date());
        assertEquals(300, overtime.get(0).minutes());
    }

    @Test
    void pay225WeekAcrossTheNewYear() {
        LocalDate monday = LocalDate.of(2024, 12, 30);
        Payslip payslip = payslip(LocalDate.of(2024, 12, 23), days(monday, 5, 540));

        List<PayLine> overtime = payslip.lines(PayCode.OVERTIME_PREMIUM);
        assertEquals(1, overtime.size());
        assertEquals(monday, overtime.get(0).date());
        assertEquals(300, overtime.get(0).minutes());
    }

    @Test
    void pay225SundayEndsTheWeek() {
        LocalDate monday = LocalDate.of(2025, 2, 3);
        List<ClockedShift> shifts = new ArrayList<>(days(monday, 5, 480));
        shifts.add(local("2025-02-09T10:00", 240));         // Sunday: this week
        shifts.add(local("2025-02-10T00:30", 240));         // Monday 00:30: next week

        List<PayLine> overtime = payslip(monday, shifts).lines(PayCode.OVERTIME_PREMIUM);

        assertEquals(1, overtime.size());
        assertEquals(240, overtime.get(0).minutes());
        assertTrue(overtime.get(0).date().equals(monday));
    }
}
