package com.kestrel.shiftpay.io;

/** A terminal export that cannot be read, with the line at fault. */
public class ExportFormatException extends RuntimeException {

    private final int line;

    public ExportFormatException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public ExportFormatException(int line, String message, Throwable cause) {
        super("line " + line + ": " + message, cause);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
