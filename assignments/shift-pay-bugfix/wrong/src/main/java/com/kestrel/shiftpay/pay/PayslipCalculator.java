package com.kestrel.shiftpay.pay;

import com.kestrel.shiftpay.model.ClockedShift;
import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.PayPeriod;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.model.SiteDirectory;
import com.kestrel.shiftpay.model.Worker;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A worker's payslip for a period from the shifts the clock terminals exported.
 *
 * <p>Per shift, in clock-in order: a {@link PayCode#REGULAR} line for its paid minutes and, when
 * some fell in the night window, a {@link PayCode#NIGHT_PREMIUM} line. Then one
 * {@link PayCode#OVERTIME_PREMIUM} line per week with more than 40 paid hours.
 */
public final class PayslipCalculator {

    private final SiteDirectory sites;

    public PayslipCalculator(SiteDirectory sites) {
        this.sites = Objects.requireNonNull(sites, "sites");
    }

    /**
     * The payslip of {@code worker} for {@code period}. {@code shifts} may hold other workers'
     * shifts and shifts of other periods: a shift belongs to the period of its work date.
     */
    public Payslip calculate(Worker worker, PayPeriod period, Collection<ClockedShift> shifts) {
        List<ClockedShift> ordered = shifts.stream()
                .filter(shift -> shift.workerId().equals(worker.id()))
                .sorted(Comparator.comparing(ClockedShift::clockIn))
                .toList();
        List<WorkedTime> worked = new ArrayList<>();
        List<PayLine> lines = new ArrayList<>();
        BigDecimal nightRate = PayRules.nightPremiumRate(worker.hourlyRate());
        for (ClockedShift shift : ordered) {
            WorkedTime time = WorkedTime.of(shift, sites.get(shift.siteId()).zone());
            if (!period.contains(time.workDate())) {
                continue;
            }
            worked.add(time);
            lines.add(line(PayCode.REGULAR, time, time.paidMinutes(), worker.hourlyRate()));
            if (time.nightMinutes() > 0) {
                lines.add(line(PayCode.NIGHT_PREMIUM, time, time.nightMinutes(), nightRate));
            }
        }
        lines.addAll(WeeklyOvertime.lines(worked, worker.hourlyRate()));
        return new Payslip(worker, period, lines);
    }

    private static PayLine line(PayCode code, WorkedTime time, int minutes, BigDecimal rate) {
        return new PayLine(code, time.workDate(), minutes, rate, Money.amount(minutes, rate));
    }
}
