package io.nasnet.child.layers;

/**
 * One convolution of an op: kernel, stride, dilation, and either depthwise (one filter per channel)
 * or {@code nOut} filters over all channels. The vocabulary the ops are written in, whichever layers
 * run them (oneDNN's fused ReLU-conv-BN, or DL4J's layers one by one). A bean, for DL4J's JSON
 * configuration.
 */
public final class Conv {

    private int kernelH;
    private int kernelW;
    private int strideH = 1;
    private int strideW = 1;
    private int dilation = 1;
    private boolean depthwise;
    private long nOut;

    public Conv() {
    }

    /** {@code nOut} filters of {@code kh x kw}. */
    public static Conv of(int kh, int kw, int sh, int sw, int dilation, long nOut) {
        Conv c = new Conv();
        c.kernelH = kh;
        c.kernelW = kw;
        c.strideH = sh;
        c.strideW = sw;
        c.dilation = dilation;
        c.nOut = nOut;
        return c;
    }

    /** One {@code k x k} filter per channel of the {@code channels} coming in. */
    public static Conv depthwise(int k, int stride, long channels) {
        Conv c = of(k, k, stride, stride, 1, channels);
        c.depthwise = true;
        return c;
    }

    public int getKernelH() {
        return kernelH;
    }

    public void setKernelH(int kernelH) {
        this.kernelH = kernelH;
    }

    public int getKernelW() {
        return kernelW;
    }

    public void setKernelW(int kernelW) {
        this.kernelW = kernelW;
    }

    public int getStrideH() {
        return strideH;
    }

    public void setStrideH(int strideH) {
        this.strideH = strideH;
    }

    public int getStrideW() {
        return strideW;
    }

    public void setStrideW(int strideW) {
        this.strideW = strideW;
    }

    public int getDilation() {
        return dilation;
    }

    public void setDilation(int dilation) {
        this.dilation = dilation;
    }

    public boolean isDepthwise() {
        return depthwise;
    }

    public void setDepthwise(boolean depthwise) {
        this.depthwise = depthwise;
    }

    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }
}
