package io.nasnet.controller;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A strategy's checkpoint written as bytes: the one place the stream plumbing lives. */
final class StateBytes {

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private StateBytes() {
    }

    static byte[] of(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
