package com.kestrel.shiftpay.io;

import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.pay.Money;

/** The plain-text payslip the site managers get by e-mail for checking before the run. */
public final class PayslipPrinter {

    public String print(Payslip payslip) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s  %s  %s%n", payslip.worker().id(), payslip.worker().name(),
                payslip.period()));
        for (PayLine line : payslip.lines()) {
            out.append(String.format("%s  %-22s %7s h x %8s  %10s%n", line.date(), line.code().label(),
                    Money.hours(line.minutes()).toPlainString(), line.rate().toPlainString(),
                    line.amount().toPlainString()));
        }
        out.append(String.format("%-60s %10s%n", "Gross total", payslip.total().toPlainString()));
        return out.toString();
    }
}
