package io.nasnet.predict;

import io.nasnet.data.Batches;
import io.nasnet.train.ModelCard;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.Serializable;

/**
 * What turns an image into a model's input, on the executors: its size and channels, and the
 * normalization its training applied ({@link Batches#standardize}, with the model card's statistics).
 */
record ModelInput(int channels, int height, int width, float[] mean, float[] std) implements Serializable {

    static ModelInput of(ModelCard card) {
        return new ModelInput(card.stacking().channels(), card.stacking().height(), card.stacking().width(),
                card.mean(), card.std());
    }

    int size() {
        return channels * height * width;
    }

    /** "28x28x1", as the messages write sizes. */
    String describe() {
        return height + "x" + width + "x" + channels;
    }

    /** Normalizes {@code pixels} (planes of {@code height x width} bytes, one per channel) into {@code out} at {@code at}. */
    void normalize(byte[] pixels, int from, float[] out, int at) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float s = 1f / std[c];
            for (int k = 0; k < plane; k++) {
                out[at + c * plane + k] = Batches.standardize(pixels[from + c * plane + k], m, s);
            }
        }
    }

    /**
     * An image as Spark's image data source decodes it (rows of pixels, channels interleaved in
     * OpenCV's order: gray, BGR or BGRA) as this input's planes: resized (bilinear) to the model's
     * size, color turned gray (ITU-R 601 luma) or gray repeated into RGB as the model's channels ask,
     * alpha dropped.
     */
    byte[] planes(int h, int w, int nChannels, byte[] data) {
        if (nChannels != 1 && nChannels != 3 && nChannels != 4) {
            throw new IllegalArgumentException("images of " + nChannels + " channels are not read");
        }
        BufferedImage img = new BufferedImage(w, h, nChannels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (nChannels == 4) {
            for (int p = 0, q = 0; p < h * w; p++, q += 4) {
                System.arraycopy(data, q, raster, 3 * p, 3);
            }
        } else {
            System.arraycopy(data, 0, raster, 0, h * w * nChannels);
        }
        if (h != height || w != width) {
            BufferedImage scaled = new BufferedImage(width, height, img.getType());
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, height, null);
            g.dispose();
            img = scaled;
            raster = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        }
        int plane = height * width;
        byte[] out = new byte[channels * plane];
        boolean gray = img.getType() == BufferedImage.TYPE_BYTE_GRAY;
        for (int p = 0; p < plane; p++) {
            if (gray) {
                for (int c = 0; c < channels; c++) {
                    out[c * plane + p] = raster[p];
                }
            } else {
                int b = raster[3 * p] & 0xff;
                int g = raster[3 * p + 1] & 0xff;
                int r = raster[3 * p + 2] & 0xff;
                if (channels == 1) {
                    out[p] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else {
                    out[p] = (byte) r;
                    out[plane + p] = (byte) g;
                    out[2 * plane + p] = (byte) b;
                }
            }
        }
        return out;
    }
}
