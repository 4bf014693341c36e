package org.pxlab.runtime.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * Stand-in components for tests of the registry's checks: each answers only the questions
 * the checks ask (is it thread safe, does it serialise mutators, which header fields) and
 * refuses any real work with {@link UnsupportedOperationException}, so they cannot be
 * mistaken for components.
 */
public final class TestComponents {
    private TestComponents() {}

    /** Providers: allocators {@code test-safe-alloc}, {@code test-unsafe-alloc}; refcounts {@code test-plain}
     * (not thread safe), {@code test-atomic}; collector {@code test-none}; syncs {@code test-lock}
     * (serialises), {@code test-free} (does not). */
    public static List<ComponentProvider> providers() {
        return List.of(
                provider(ComponentKind.ALLOCATOR, "test-safe-alloc", Allocator.class, Map.of("isThreadSafe", true)),
                provider(ComponentKind.ALLOCATOR, "test-unsafe-alloc", Allocator.class, Map.of("isThreadSafe", false)),
                provider(ComponentKind.REFCOUNT, "test-plain", RefCountStrategy.class, Map.of("isThreadSafe", false, "headerFields", List.of())),
                provider(ComponentKind.REFCOUNT, "test-atomic", RefCountStrategy.class, Map.of("isThreadSafe", true, "headerFields", List.of())),
                provider(ComponentKind.COLLECTOR, "test-none", Collector.class, Map.of("preHeaderFields", List.of())),
                provider(ComponentKind.SYNC, "test-lock", SyncDiscipline.class, Map.of("serializesMutators", true, "headerFields", List.of())),
                provider(ComponentKind.SYNC, "test-free", SyncDiscipline.class, Map.of("serializesMutators", false, "headerFields", List.of())));
    }

    /** A configuration of stand-ins whose sync serialises mutators. */
    public static ConfigurationDeclaration serialized(String name) {
        return ConfigurationDeclaration.named(name).describedAs("stand-ins under one lock").sync("test-lock")
                .space("main", s -> s.allocator("test-unsafe-alloc").refcount("test-plain").collector("test-none"))
                .place(Placement.ANY, "main").build();
    }

    private static ComponentProvider provider(ComponentKind kind, String name, Class<?> type, Map<String, Object> answers) {
        return new ComponentProvider() {
            @Override
            public ComponentKind kind() {
                return kind;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "stand-in for registry tests";
            }

            @Override
            public Object create(ComponentParameters parameters) {
                parameters.checkAllUsed();
                return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                    if (answers.containsKey(method.getName())) return answers.get(method.getName());
                    if (method.isDefault()) return InvocationHandler.invokeDefault(proxy, method, args);
                    if (method.getName().equals("toString")) return name;
                    if (method.getName().equals("hashCode")) return System.identityHashCode(proxy);
                    if (method.getName().equals("equals")) return proxy == args[0];
                    throw new UnsupportedOperationException(name + " is a stand-in; it does not " + method.getName());
                });
            }
        };
    }
}
