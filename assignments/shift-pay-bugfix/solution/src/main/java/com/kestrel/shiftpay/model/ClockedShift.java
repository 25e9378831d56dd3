package com.kestrel.shiftpay.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One shift as the site's clock terminal exported it: when the worker clocked in and out, and
 * the unpaid break they took (minutes).
 */
public record ClockedShift(String id, String workerId, String siteId,
                           Instant clockIn, Instant clockOut, int breakMinutes) {

    public ClockedShift {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(clockIn, "clockIn");
        Objects.requireNonNull(clockOut, "clockOut");
        if (!clockOut.isAfter(clockIn)) {
            throw new IllegalArgumentException("shift " + id + " ends before it starts");
        }
        if (breakMinutes < 0) {
            throw new IllegalArgumentException("shift " + id + " has a negative break");
        }
    }
}
