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
 * PAY-218: a line's amount is its minutes times its hourly rate divided by 60, rounded half up to
 * the cent once; premium rates are exact shares of the base rate; the total adds the lines.
 */
class RoundingTest {

    private static final LocalDate FEBRUARY_3 = LocalDate.of(2025, 2, 3);

    @Test
    void sevenHoursFiftyAtFourteenTenIsOneHundredTenFortyFive() {
        Worker ana = Payroll.worker("14.10");
        // 07:00 to 14:50 in Hamburg: 470 minutes
        ClockedShift shift = Payroll.shift(ana, Payroll.HAMBURG, "2025-02-04T06:00:00Z", "2025-02-04T13:50:00Z", 0);

        PayLine regular = Payroll.only(Payroll.payslip(ana, FEBRUARY_3, List.of(shift)), PayCode.REGULAR);

        assertEquals(470, regular.minutes());
        assertEquals(new BigDecimal("110.45"), regular.amount());
    }

    @Test
    void oddMinuteIsPaidItsSixtiethOfTheRate() {
        Worker ana = Payroll.worker("14.10");
        // 61 minutes: 61 x 14.10 / 60 = 14.335, half a cent rounds up
        ClockedShift shift = Payroll.localShift(ana, Payroll.HAMBURG, "2025-02-04T08:00", 61);

        PayLine regular = Payroll.only(Payroll.payslip(ana, FEBRUARY_3, List.of(shift)), PayCode.REGULAR);

        assertEquals(new BigDecimal("14.34"), regular.amount());
    }

    @Test
    void halfACentRoundsUp() {
        Worker ana = Payroll.worker("12.05");
        // 30 minutes at 12.05 is 6.025
        ClockedShift shift = Payroll.localShift(ana, Payroll.HAMBURG, "2025-02-04T08:00", 30);

        PayLine regular = Payroll.only(Payroll.payslip(ana, FEBRUARY_3, List.of(shift)), PayCode.REGULAR);

        assertEquals(new BigDecimal("6.03"), regular.amount());
    }

    @Test
    void nightPremiumRateIsAQuarterOfTheBaseRateUnrounded() {
        Worker ana = Payroll.worker("14.10");
        ClockedShift shift = Payroll.shift(ana, Payroll.HAMBURG, "2025-02-04T21:00:00Z", "2025-02-05T04:50:00Z", 0);

        PayLine night = Payroll.only(Payroll.payslip(ana, FEBRUARY_3, List.of(shift)), PayCode.NIGHT_PREMIUM);

        assertTrue(Payroll.sameNumber("3.525", night.rate()), "rate " + night.rate());
    }

    @Test
    void nightPremiumIsRoundedOnceFromTheExactRate() {
        Worker ana = Payroll.worker("14.10");
        // 22:00 to 05:50 in Hamburg: 470 night minutes, 470 x 3.525 / 60 = 27.6125
        ClockedShift shift = Payroll.shift(ana, Payroll.HAMBURG, "2025-02-04T21:00:00Z", "2025-02-05T04:50:00Z", 0);

        Payslip payslip = Payroll.payslip(ana, FEBRUARY_3, List.of(shift));

        assertEquals(new BigDecimal("110.45"), Payroll.only(payslip, PayCode.REGULAR).amount());
        assertEquals(new BigDecimal("27.61"), Payroll.only(payslip, PayCode.NIGHT_PREMIUM).amount());
    }

    @Test
    void overtimePremiumIsRoundedOnceFromTheExactRate() {
        Worker ana = Payroll.worker("13.37");
        // a week of 2024 (whose weeks were counted right): 40 h 50 min, 50 minutes at 6.685
        List<ClockedShift> week = new ArrayList<>();
        for (int day = 3; day <= 6; day++) {
            week.add(Payroll.localShift(ana, Payroll.HAMBURG, "2024-06-0" + day + "T07:00", 480));
        }
        week.add(Payroll.localShift(ana, Payroll.HAMBURG, "2024-06-07T07:00", 530));

        PayLine overtime = Payroll.only(Payroll.payslip(ana, LocalDate.of(2024, 6, 3), week),
                PayCode.OVERTIME_PREMIUM);

        assertEquals(50, overtime.minutes());
        assertTrue(Payroll.sameNumber("6.685", overtime.rate()), "rate " + overtime.rate());
        assertEquals(new BigDecimal("5.57"), overtime.amount());
    }

    @Test
    void amountsAlwaysHaveTwoDecimals() {
        Worker jonas = Payroll.worker("14");
        ClockedShift shift = Payroll.localShift(jonas, Payroll.HAMBURG, "2025-02-04T08:00", 480);

        Payslip payslip = Payroll.payslip(jonas, FEBRUARY_3, List.of(shift));

        assertEquals("112.00", Payroll.only(payslip, PayCode.REGULAR).amount().toPlainString());
        assertEquals("112.00", payslip.total().toPlainString());
    }

    @Test
    void totalIsTheSumOfTheRoundedLines() {
        Worker ana = Payroll.worker("14.10");
        List<ClockedShift> shifts = List.of(
                Payroll.shift(ana, Payroll.HAMBURG, "2025-02-04T06:00:00Z", "2025-02-04T13:50:00Z", 0),
                Payroll.shift(ana, Payroll.HAMBURG, "2025-02-05T21:00:00Z", "2025-02-06T04:50:00Z", 0));

        Payslip payslip = Payroll.payslip(ana, FEBRUARY_3, shifts);

        assertEquals(List.of(new BigDecimal("110.45"), new BigDecimal("110.45"), new BigDecimal("27.61")),
                payslip.lines().stream().map(PayLine::amount).toList());
        assertEquals(new BigDecimal("248.51"), payslip.total());
    }
}
