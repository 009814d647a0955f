package io.nasnet.data;

/** A dataset file that cannot be used; the message names the file and, where it applies, the byte offset. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    static DatasetException at(String file, long offset, String what) {
        return new DatasetException(file + " at byte " + offset + ": " + what);
    }
}
