package org.pxlab.gc.isolated;

import java.util.List;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link Isolated} as the sync discipline {@code isolated}. Option {@code binaries}:
 * {@code on-heap} (the default: every blob in its heap, copied when it crosses) or {@code refc}
 * (Erlang's: blobs over 64 bytes off-heap, shared by refcounted handles, {@link RefcBinaries}).
 * Option {@code messages}: {@code copied} (the default: straight into the receiver's heap) or
 * {@code pickled} ({@code multiprocessing}: a bytes buffer in the sender's heap too, {@link PickleBuffers}).
 */
public final class IsolatedProvider implements ComponentProvider {
    /** The option choosing where large blobs live. */
    public static final String BINARIES = "binaries";
    /** The option choosing how messages cross: {@code copied} or {@code pickled}. */
    public static final String MESSAGES = "messages";

    @Override
    public ComponentKind kind() {
        return ComponentKind.SYNC;
    }

    @Override
    public String name() {
        return "isolated";
    }

    @Override
    public String description() {
        return "a heap per interpreter, actor or process, each with its own lock and collector; shared state, requests and"
                + " responses copied; cross-heap references refused";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        String binaries = parameters.choice(BINARIES, "on-heap", List.of("on-heap", "refc"));
        String messages = parameters.choice(MESSAGES, "copied", List.of("copied", "pickled"));
        parameters.checkAllUsed();
        return new Isolated(binaries.equals("refc") ? new RefcBinaries() : null, messages.equals("pickled"));
    }
}
