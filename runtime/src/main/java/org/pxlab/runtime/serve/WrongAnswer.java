package org.pxlab.runtime.serve;

/** A workload computed a wrong answer: the run that produced it fails. */
public final class WrongAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WrongAnswer(String workload, long request, String message) {
        super(workload + ": request " + request + ": " + message);
    }
}
