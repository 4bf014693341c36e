package org.pxlab.experiments.footprint;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;

/**
 * The Java objects a configuration's components keep beside simulated memory (the sync
 * discipline's lock and context tables and queues, the allocators' routing tables and
 * per-thread state, the collectors' bookkeeping), each sized by JOL ({@link VirtualMachine#sizeOf}: the
 * object as this JVM lays it out, header, compressed references and alignment included).
 *
 * <p>Why not {@code GraphLayout.parseInstance} on a component: its graph reaches the runtime,
 * the registry, lambdas and through them {@code Class} objects and JDK internals, which are not
 * the component's footprint (and which JOL cannot even lay out on JDK 25: hidden classes and
 * records refuse {@code Unsafe.objectFieldOffset}). So the walk here is bounded: it follows the
 * fields of pxlab's own classes and the elements of arrays; it counts a JDK object (a lock, an
 * atomic, a queue) by its own size without following it; and it stops at what the whole
 * runtime shares ({@link PxRuntime}, {@link Heap}, {@link Space}, {@link Configuration},
 * {@link ComponentRegistry}, threads, classes, lambdas). Each row is one component's walk; a
 * component that holds another counts it too, so rows are not to be added up.
 */
public final class JvmStructures {
    private JvmStructures() {}

    /**
     * One component's Java objects.
     *
     * @param name    what was measured, e.g. {@code sync split-brain} or {@code allocator bump-arena (context)}
     * @param objects how many Java objects the walk counted
     * @param bytes   their total size in bytes
     */
    public record Row(String name, long objects, long bytes) {}

    /** Measures the sync discipline and each space's allocator, refcount strategy and collector. Report time only. */
    public static List<Row> measure(PxRuntime runtime) {
        var configuration = runtime.configuration();
        List<Row> rows = new ArrayList<>();
        rows.add(walk("sync " + configuration.declaration().sync(), configuration.sync()));
        for (Space s : configuration.spaces()) {
            var d = configuration.declaration().spaces().get(s.index());
            rows.add(walk("allocator " + d.allocator() + " (" + s.name() + ")", s.allocator()));
            rows.add(walk("refcount " + d.refcount() + " (" + s.name() + ")", s.refcount()));
            rows.add(walk("collector " + d.collector() + " (" + s.name() + ")", s.collector()));
        }
        return rows;
    }

    /** Sizes every object reachable from {@code root} along the bounded walk described above. */
    static Row walk(String name, Object root) {
        VirtualMachine vm = VM.current();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        seen.add(root);
        long objects = 0, bytes = 0;
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            objects++;
            bytes += vm.sizeOf(o);
            for (Object next : references(o)) {
                if (next != null && followed(next) && seen.add(next)) todo.add(next);
            }
        }
        return new Row(name, objects, bytes);
    }

    /** What {@code o} refers to and the walk may follow: array elements and the fields of pxlab's classes. */
    private static List<Object> references(Object o) {
        Class<?> c = o.getClass();
        List<Object> out = new ArrayList<>();
        if (c.isArray()) {
            if (!c.getComponentType().isPrimitive()) {
                for (int i = 0, n = Array.getLength(o); i < n; i++) out.add(Array.get(o, i));
            }
            return out;
        }
        if (!pxlabOwn(c)) return out;               // a JDK object: counted, not followed
        for (Class<?> k = c; k != null && pxlabOwn(k); k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                try {
                    f.setAccessible(true);
                    out.add(f.get(o));
                } catch (ReflectiveOperationException | RuntimeException inaccessible) {
                    // not followed: the object itself is still counted
                }
            }
        }
        return out;
    }

    private static boolean pxlabOwn(Class<?> c) {
        return c.getName().startsWith("org.pxlab.") && !c.isHidden();
    }

    /** Whether the walk goes on into {@code o}: not into what the whole runtime shares, nor into classes, threads or lambdas. */
    private static boolean followed(Object o) {
        return !(o instanceof PxRuntime || o instanceof Heap || o instanceof Space || o instanceof Configuration
                || o instanceof ComponentRegistry || o instanceof Thread || o instanceof Class<?>
                || o instanceof ClassLoader || o.getClass().isHidden());
    }
}
