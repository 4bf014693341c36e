package org.pxlab.runtime.object;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.Ranks;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.StoreBarrier;
import org.pxlab.runtime.spi.StoreOperation;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * The simulated heap of one runtime: the composed object header, the spaces, and the
 * life cycle every object shares (allocate, count, traverse, release, free).
 *
 * <p><b>Object layout.</b> An object is a {@code long} address. At the address starts the
 * header, composed from the fields the configuration's components declare plus the runtime's
 * {@code ob_type} (and {@code ob_space} when there are several spaces); the body follows at
 * {@link #bodyOffset}. One header layout serves all spaces of a configuration, as one C
 * struct serves all objects of an interpreter build (PyParallel's parallel objects carry the
 * same {@code PyObject} header as main-thread ones). What differs per space is the
 * pre-header in front of tracked containers (CPython's 16-byte {@code PyGC_Head}, absent for
 * PyParallel's untracked parallel objects).
 *
 * <p><b>References.</b> Methods say whether they return a <em>new</em> reference (the
 * caller owns one count and must release it) or a <em>borrowed</em> one, and whether they
 * <em>steal</em> an argument (take over the caller's count) as CPython's do.
 *
 * <p><b>Release.</b> When a count reaches zero the object is released without recursion
 * ({@link ReleaseLoop}): its referents are decremented, those that reach zero are queued on a
 * per-thread work list, and each block goes back to its space's allocator.
 */
public final class Heap {
    private final StructLayout header;
    private final int typeOffset;
    private final int spaceOffset;
    private final int bodyOffset;
    private final Space[] spaces;
    private final CriticalSections sections;
    private final OptimisticReads optimistic;
    /** The refcount entry point: the single space's strategy, or a dispatch on {@code ob_space}. */
    private RefCountStrategy refcount;
    private final ReleaseLoop releases = new ReleaseLoop(this);

    /** The owner test every container store passes ({@link StoreBarrier#NONE} unless the configuration has one). */
    private StoreBarrier barrier = StoreBarrier.NONE;
    /** Where blobs over a threshold live, shared by handles; {@code null}: in their heap. */
    private org.pxlab.runtime.spi.OffHeapBinaries binaries;
    private TypeObjects types;
    private final Strings strings = new Strings(this);
    private final Numbers numbers = new Numbers(this);
    private final Tuples tuples = new Tuples(this);
    private final Lists lists = new Lists(this);
    private final Dicts dicts = new Dicts(this);
    private final Instances instances = new Instances(this);
    private final Functions functions = new Functions(this);
    private final Modules modules = new Modules(this);
    private final Blobs blobs = new Blobs(this);
    private final CrossHeapCopy copies = new CrossHeapCopy(this);
    /** Per space, per {@link TypeKind} ordinal: made immortal at allocation (the {@code immortal} modifier). */
    private final boolean[][] immortalKinds;
    private final java.util.concurrent.atomic.AtomicLong immortalizedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean bootstrapping;
    /**
     * Some space's strategy defers kinds (3.14t's deferred references): objects are announced
     * to it at creation and stack references to deferred or immortal objects are tagged.
     */
    private final boolean defers;

    /**
     * Composes the header and binds the components to it, for a heap whose containers take
     * no locks (component tests, layout reports).
     *
     * @param spaces       the configuration's spaces, index = position
     * @param syncFields   header fields of the sync discipline
     */
    public Heap(List<Space> spaces, List<HeaderField> syncFields) {
        this(spaces, syncFields, null);
    }

    /**
     * Composes the header, binds the components to it, and brackets container operations
     * with the discipline's critical sections ({@link CriticalSections}).
     *
     * @param spaces the configuration's spaces, index = position
     * @param sync   the configuration's sync discipline
     * @throws IllegalArgumentException if the discipline reads optimistically and a space's
     *         allocator or the header layout cannot keep a freed object's count readable
     */
    public Heap(List<Space> spaces, SyncDiscipline sync) {
        this(spaces, sync.headerFields(), sync);
    }

    private Heap(List<Space> spaces, List<HeaderField> syncFields, SyncDiscipline sync) {
        if (spaces.isEmpty()) throw new IllegalArgumentException("a heap needs at least one space");
        this.spaces = spaces.toArray(Space[]::new);
        this.header = composeHeader(spaces.stream().map(Space::refcount).toList(), syncFields);
        this.typeOffset = header.offsetOf("ob_type");
        this.spaceOffset = spaces.size() > 1 ? header.offsetOf("ob_space") : -1;
        this.bodyOffset = header.size();
        for (Space s : spaces) s.refcount().bind(header);
        RefCountStrategy entry = spaces.size() == 1 ? spaces.get(0).refcount() : new SpaceTagDispatch(this);
        for (Space s : spaces) {
            if (s.refcount().elidesForItsThreads()) entry = new ParallelElisionGate(s.index(), entry);
        }
        this.refcount = entry;
        this.immortalKinds = new boolean[spaces.size()][];
        for (Space s : spaces) {
            boolean[] k = new boolean[TypeKind.values().length];
            for (TypeKind kind : TypeKind.values()) k[kind.ordinal()] = s.refcount().immortalAtCreation(kind);
            immortalKinds[s.index()] = k;
        }
        this.defers = spaces.stream().anyMatch(s -> s.refcount().defersAny());
        this.sections = new CriticalSections(sync);
        this.optimistic = sections.reads() == CriticalSections.Reads.OPTIMISTIC ? new OptimisticReads(this) : null;
        if (optimistic != null) OptimisticReads.checkFreedCountsReadable(header, this.spaces);
    }

    /**
     * The object header a configuration composes: the fields of every space's refcount
     * strategy (one field where several strategies name the same one with the same size),
     * the sync discipline's fields, {@code ob_space} when there are several spaces, and
     * {@code ob_type}. The one place the runtime, {@code pxlab layout} and the benchmarks
     * get a header from.
     *
     * @param refcounts one strategy per space, in space order
     */
    public static StructLayout composeHeader(List<RefCountStrategy> refcounts, List<HeaderField> syncFields) {
        Map<String, HeaderField> byName = new LinkedHashMap<>();
        for (RefCountStrategy r : refcounts) {
            for (HeaderField f : r.headerFields()) merge(byName, f);
        }
        for (HeaderField f : syncFields) merge(byName, f);
        List<HeaderField> fields = new ArrayList<>(byName.values());
        if (refcounts.size() > 1) fields.add(new HeaderField("ob_space", 4, Ranks.SPACE, "runtime"));
        fields.add(new HeaderField("ob_type", 8, Ranks.TYPE, "runtime"));
        return StructLayout.compose(fields);
    }

    private static void merge(Map<String, HeaderField> byName, HeaderField f) {
        HeaderField old = byName.get(f.name());
        if (old == null) {
            byName.put(f.name(), f);
        } else if (old.size() != f.size()) {
            throw new IllegalArgumentException("header field " + f.name() + " is " + old.size() + " bytes for "
                    + old.owner() + " but " + f.size() + " bytes for " + f.owner());
        } else if (!old.owner().contains(f.owner())) {
            byName.put(f.name(), new HeaderField(f.name(), f.size(), Math.min(old.rank(), f.rank()), old.owner() + ", " + f.owner()));
        }
    }

    /** Creates the built-in types and singletons. Called once by the runtime, on its main thread. */
    public void bootstrap(ThreadContext thread) {
        if (types != null) throw new IllegalStateException("heap already bootstrapped");
        bootstrapping = true;
        try {
            types = new TypeObjects(this, thread);
            types.populate(thread);
        } finally {
            bootstrapping = false;
        }
    }

    /**
     * Bytes of objects made immortal after bootstrap (the {@code immortal} modifier's kinds,
     * interned strings): memory that is never freed, 3.13t's leak of immortalized deferred
     * objects. The statics that bootstrap immortalizes (built-in types, small ints, singletons)
     * are not counted: every configuration has them.
     */
    public long immortalizedBytes() {
        return immortalizedBytes.get();
    }

    /** Counts an object just made immortal toward {@link #immortalizedBytes()}, unless bootstrap made it. */
    void noteImmortalized(long object) {
        if (!bootstrapping) immortalizedBytes.addAndGet(blockSize(object));
    }

    /** The built-in types and singletons. */
    public TypeObjects types() {
        return types;
    }

    public Strings strings() { return strings; }
    public Numbers numbers() { return numbers; }
    public Tuples tuples() { return tuples; }
    public Lists lists() { return lists; }
    public Dicts dicts() { return dicts; }
    public Instances instances() { return instances; }
    public Functions functions() { return functions; }
    public Modules modules() { return modules; }
    public Blobs blobs() { return blobs; }
    public CrossHeapCopy copies() { return copies; }
    /** How container operations lock and read. */
    public CriticalSections sections() { return sections; }
    /** The optimistic read protocol; {@code null} unless the discipline reads optimistically. */
    OptimisticReads optimisticReads() { return optimistic; }

    /**
     * Replaces the refcount entry point with a decorator of it (a counting runtime, a tracer).
     * Must be called before any object exists.
     */
    public void decorateRefCounts(java.util.function.UnaryOperator<RefCountStrategy> decorator) {
        if (types != null) throw new IllegalStateException("refcounts must be decorated before bootstrap");
        refcount = decorator.apply(refcount);
    }

    /**
     * Installs the store barrier of the configuration's sync discipline (PyParallel's
     * persistence guard). Must be called before any object exists.
     */
    public void useStoreBarrier(StoreBarrier storeBarrier) {
        if (types != null) throw new IllegalStateException("the store barrier must be installed before bootstrap");
        barrier = java.util.Objects.requireNonNull(storeBarrier, "storeBarrier");
    }

    /**
     * Installs where large blobs live off-heap ({@code null}: none). Must be called before any
     * object exists.
     */
    public void useOffHeapBinaries(org.pxlab.runtime.spi.OffHeapBinaries offHeap) {
        if (types != null) throw new IllegalStateException("off-heap binaries must be installed before bootstrap");
        binaries = offHeap;
    }

    /** Where large blobs live off-heap, or {@code null}. */
    public org.pxlab.runtime.spi.OffHeapBinaries offHeapBinaries() {
        return binaries;
    }

    /**
     * Passes a store through the barrier; see {@link StoreBarrier#admitStore}. For stores that
     * steal {@code value}: on refusal the stolen reference is released before the exception
     * propagates, as a failing CPython setter releases what it stole.
     */
    long admitStolen(long target, long value, StoreOperation operation, ThreadContext thread) {
        try {
            return barrier.admitStore(target, value, operation, thread);
        } catch (PersistenceViolation e) {
            xdecref(value, thread);
            throw e;
        }
    }

    /** Passes a removal or a reorder through the barrier (nothing is stored). */
    void admitRemoval(long target, StoreOperation operation, ThreadContext thread) {
        barrier.admitStore(target, 0L, operation, thread);
    }

    // ---- layout ----

    /** The composed object header. */
    public StructLayout header() {
        return header;
    }

    /** Offset of the body from the object's address (= header size). */
    public int bodyOffset() {
        return bodyOffset;
    }

    public int spaceCount() {
        return spaces.length;
    }

    public Space space(int index) {
        return spaces[index];
    }

    /** The space an object belongs to. */
    public Space spaceOf(long object) {
        return spaceOffset < 0 ? spaces[0] : spaces[Memory.getInt(object + spaceOffset)];
    }

    /** The object's type object (borrowed). */
    public long typeOf(long object) {
        return Memory.getLong(object + typeOffset);
    }

    /** The native kind of the object's type. */
    public TypeKind kindOf(long object) {
        return TypeKind.of(Memory.getInt(typeOf(object) + bodyOffset + TypeObjects.KIND));
    }

    // ---- reference counts ----

    /** The configuration's refcount entry point (possibly decorated). */
    public RefCountStrategy refcounts() {
        return refcount;
    }

    /** {@code Py_INCREF}. */
    public void incref(long object, ThreadContext thread) {
        refcount.incref(object, thread);
    }

    /** {@code Py_XINCREF}: nothing for a null reference. */
    public void xincref(long object, ThreadContext thread) {
        if (object != 0) refcount.incref(object, thread);
    }

    /** {@code Py_DECREF}: releases the object if that was its last reference. */
    public void decref(long object, ThreadContext thread) {
        if (refcount.decref(object, thread)) release(object, thread);
    }

    /** {@code Py_XDECREF}. */
    public void xdecref(long object, ThreadContext thread) {
        if (object != 0 && refcount.decref(object, thread)) release(object, thread);
    }

    /** {@code Py_NewRef}: increments and returns the object. */
    public long newRef(long object, ThreadContext thread) {
        refcount.incref(object, thread);
        return object;
    }

    /** The object's logical reference count. */
    public long referenceCount(long object) {
        return spaceOf(object).refcount().referenceCount(object);
    }

    /** Whether some space defers kinds, so that frames may hold uncounted (tagged) references. */
    public boolean defersStackReferences() {
        return defers;
    }

    /**
     * Whether a new stack reference to the object goes uncounted: CPython 3.14t's
     * {@code PyStackRef_FromPyObjectNew} tags a deferred object (immortals carry the deferred
     * bit there too) instead of incrementing it. Always false without a deferring space.
     */
    public boolean stackUncounted(long object) {
        if (!defers) return false;
        RefCountStrategy r = spaceOf(object).refcount();
        return r.isDeferred(object) || r.isImmortal(object);
    }

    // ---- allocation ----

    /**
     * Allocates an object in the thread's current space: header set (type, count 1, other
     * header words zero), body uninitialised. A heap type gains a reference, as
     * {@code _PyObject_Init} gives it in 3.12. Containers are not yet tracked: the caller
     * calls {@link #track} once the body is initialised.
     *
     * @param type      the type object (borrowed); 0 only while bootstrapping {@code type} itself
     * @param kind      the type's kind (callers know it; passing it saves a load)
     * @param bodyBytes size of the body
     * @return a new reference
     */
    public long allocate(long type, TypeKind kind, long bodyBytes, ThreadContext thread) {
        Space space = spaces[thread.allocationSpace()];
        int pre = kind.container() ? space.preHeaderSize() : 0;
        long block = space.allocator().allocate(pre + bodyOffset + bodyBytes, thread);
        long object = block + pre;
        for (int o = 0; o < bodyOffset; o += 8) Memory.putLong(object + o, 0L);
        for (int o = 0; o < pre; o += 8) Memory.putLong(block + o, 0L);
        Memory.putLong(object + typeOffset, type);
        if (spaceOffset >= 0) Memory.putInt(object + spaceOffset, space.index());
        space.refcount().initialize(object, thread);
        if (kind == TypeKind.TYPE) Memory.putLong(object + bodyOffset + TypeObjects.UNIQUE_ID, 0L);
        else if (kind == TypeKind.CODE) Memory.putLong(object + bodyOffset + Functions.CODE_UNIQUE_ID, 0L);
        if (defers && !bootstrapping) space.refcount().objectCreated(object, kind, thread);
        if (immortalKinds[space.index()][kind.ordinal()]) {
            // The immortal modifier: never counted, never freed (and measured).
            space.refcount().makeImmortal(object);
            if (!bootstrapping) immortalizedBytes.addAndGet(pre + bodyOffset + bodyBytes);
        }
        if (type != 0 && (Memory.getInt(type + bodyOffset + TypeObjects.FLAGS) & TypeObjects.HEAPTYPE) != 0) {
            refcount.increfType(type, thread); // _Py_INCREF_TYPE
        }
        return object;
    }

    /** Hands a new container to its space's collector ({@code PyObject_GC_Track}). */
    public void track(long object, ThreadContext thread) {
        spaceOf(object).collector().track(object, thread);
    }

    /**
     * The one block an object owns besides its own, which carries no object header: a list's
     * items, a dict's keys; 0 for other kinds or none. A collector that finds objects by
     * walking an allocator (CPython 3.13t walks only the GC heaps of mimalloc, where these
     * blocks never are) uses it to tell such blocks from objects.
     */
    public long auxiliaryBlock(long object) {
        return switch (kindOf(object)) {
            case LIST -> Memory.getLong(object + bodyOffset + Lists.ITEMS);
            case DICT -> Memory.getLong(object + bodyOffset + Dicts.KEYS);
            default -> 0L;
        };
    }

    /** Total bytes of the object's block, pre-header included. */
    public long blockSize(long object) {
        TypeKind kind = kindOf(object);
        int pre = kind.container() ? spaceOf(object).preHeaderSize() : 0;
        return pre + bodyOffset + bodySize(object, kind);
    }

    private long bodySize(long object, TypeKind kind) {
        long body = object + bodyOffset;
        long variable = switch (kind) {
            case STR, BYTES -> Memory.getLong(body + Strings.LENGTH);
            case TUPLE -> Memory.getLong(body + Tuples.SIZE);
            case INSTANCE -> Memory.getLong(typeOf(object) + bodyOffset + TypeObjects.NSLOTS);
            case BLOB -> Memory.getLong(body + Blobs.SIZE);
            default -> 0;
        };
        return bodyBytes(kind, variable);
    }

    /**
     * Bytes in the body of an object of this kind.
     *
     * @param variable the size of the variable part: bytes of a str, bytes or blob, items of
     *                 a tuple, slots of an instance; ignored for other kinds. Lists and dicts
     *                 keep their items in separate blocks, not counted here.
     */
    public static long bodyBytes(TypeKind kind, long variable) {
        return switch (kind) {
            case NONE -> 0;
            case BOOL, INT, FLOAT -> 8;
            case STR, BYTES -> Strings.bodySize(variable);
            case TUPLE -> Tuples.bodySize(variable);
            case LIST -> Lists.BODY;
            case DICT -> Dicts.BODY;
            case FUNCTION -> Functions.FUNCTION_BODY;
            case CODE -> Functions.CODE_BODY;
            case TYPE -> TypeObjects.BODY;
            case MODULE -> Modules.BODY;
            case INSTANCE -> Instances.bodySize(variable);
            case BOUND_METHOD -> Functions.METHOD_BODY;
            case BUILTIN -> Functions.BUILTIN_BODY;
            case MEMBER_DESCRIPTOR -> TypeObjects.MEMBER_BODY;
            case LIST_ITERATOR -> Lists.ITERATOR_BODY;
            case DICT_KEY_ITERATOR -> Dicts.ITERATOR_BODY;
            case BLOB -> Blobs.bodySize(variable);
        };
    }

    // ---- traversal and release ----

    /**
     * Visits every object the given one references ({@code tp_traverse}), including the type
     * of an instance of a heap type, as CPython's {@code subtype_traverse} does.
     */
    public void traverse(long object, ReferenceVisitor visitor) {
        long body = object + bodyOffset;
        switch (kindOf(object)) {
            case TUPLE -> {
                long n = Memory.getLong(body + Tuples.SIZE);
                for (long i = 0; i < n; i++) visitNonNull(Memory.getLong(body + Tuples.ITEMS + 8 * i), visitor);
            }
            case LIST -> {
                long n = Memory.getLong(body + Lists.SIZE);
                long items = Memory.getLong(body + Lists.ITEMS);
                for (long i = 0; i < n; i++) visitNonNull(Memory.getLong(items + 8 * i), visitor);
            }
            case DICT -> Dicts.traverse(body, visitor);
            case FUNCTION -> {
                visitNonNull(Memory.getLong(body + Functions.FUNC_CODE), visitor);
                visitNonNull(Memory.getLong(body + Functions.FUNC_GLOBALS), visitor);
                visitNonNull(Memory.getLong(body + Functions.FUNC_BUILTINS), visitor);
                visitNonNull(Memory.getLong(body + Functions.FUNC_NAME), visitor);
                visitNonNull(Memory.getLong(body + Functions.FUNC_DEFAULTS), visitor);
            }
            case CODE -> {
                visitNonNull(Memory.getLong(body + Functions.CODE_NAME), visitor);
                visitNonNull(Memory.getLong(body + Functions.CODE_CONSTS), visitor);
                visitNonNull(Memory.getLong(body + Functions.CODE_NAMES), visitor);
            }
            case TYPE -> {
                visitNonNull(Memory.getLong(body + TypeObjects.NAME), visitor);
                visitNonNull(Memory.getLong(body + TypeObjects.DICT), visitor);
                visitNonNull(Memory.getLong(body + TypeObjects.BASE), visitor);
            }
            case MODULE -> {
                visitNonNull(Memory.getLong(body + Modules.NAME), visitor);
                visitNonNull(Memory.getLong(body + Modules.DICT), visitor);
            }
            case INSTANCE -> {
                long type = typeOf(object);
                long nslots = Memory.getLong(type + bodyOffset + TypeObjects.NSLOTS);
                visitNonNull(Memory.getLong(body + Instances.DICT), visitor);
                for (long i = 0; i < nslots; i++) visitNonNull(Memory.getLong(body + Instances.SLOTS + 8 * i), visitor);
                if ((Memory.getInt(type + bodyOffset + TypeObjects.FLAGS) & TypeObjects.HEAPTYPE) != 0) visitor.visit(type);
            }
            case BOUND_METHOD -> {
                visitNonNull(Memory.getLong(body + Functions.METHOD_FUNC), visitor);
                visitNonNull(Memory.getLong(body + Functions.METHOD_SELF), visitor);
            }
            case BUILTIN -> {
                visitNonNull(Memory.getLong(body + Functions.BUILTIN_NAME), visitor);
                visitNonNull(Memory.getLong(body + Functions.BUILTIN_SELF), visitor);
            }
            case MEMBER_DESCRIPTOR -> visitNonNull(Memory.getLong(body + TypeObjects.MEMBER_NAME), visitor);
            case LIST_ITERATOR -> visitNonNull(Memory.getLong(body + Lists.ITER_LIST), visitor);
            case DICT_KEY_ITERATOR -> visitNonNull(Memory.getLong(body + Dicts.ITER_DICT), visitor);
            case NONE, BOOL, INT, FLOAT, STR, BYTES, BLOB -> { }
        }
    }

    /**
     * {@code tp_clear}: drops the references an object holds so that a garbage cycle through
     * it falls apart, leaving the object itself valid for its own release. As in CPython
     * 3.12, lists, dicts, instances (dict and slots), functions (all but the code), types
     * (their dict) and modules (their dict) are cleared; tuples, methods, iterators and
     * descriptors have no {@code tp_clear} and are freed once a cleared neighbour lets go.
     * Only for an object a collector found unreachable: a list's items block is freed at once,
     * not delayed for optimistic readers ({@link Lists#clearUnreachable}).
     *
     * @return whether this kind has a {@code tp_clear}
     */
    public boolean clearReferences(long object, ThreadContext thread) {
        long body = object + bodyOffset;
        switch (kindOf(object)) {
            case LIST -> lists.clearUnreachable(object, thread);
            case DICT -> dicts.clear(object, thread);
            case INSTANCE -> {
                long nslots = Memory.getLong(typeOf(object) + bodyOffset + TypeObjects.NSLOTS);
                for (long i = 0; i < nslots; i++) clearField(body + Instances.SLOTS + 8 * i, thread);
                clearField(body + Instances.DICT, thread);
            }
            case FUNCTION -> {
                clearField(body + Functions.FUNC_GLOBALS, thread);
                clearField(body + Functions.FUNC_BUILTINS, thread);
                clearField(body + Functions.FUNC_NAME, thread);
                clearField(body + Functions.FUNC_DEFAULTS, thread);
            }
            case TYPE -> {
                if (types.isHeapType(object)) dicts.clear(Memory.getLong(body + TypeObjects.DICT), thread);
            }
            case MODULE -> clearField(body + Modules.DICT, thread);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code Py_CLEAR}: zero the field first, then release the old value. */
    private void clearField(long field, ThreadContext thread) {
        long old = Memory.getLong(field);
        if (old == 0) return;
        Memory.putLong(field, 0L);
        decref(old, thread);
    }

    private static void visitNonNull(long referent, ReferenceVisitor visitor) {
        if (referent != 0) visitor.visit(referent);
    }

    /**
     * Releases an object whose count has reached zero: decrements what it references,
     * releases those in turn, and frees every block. Iterative ({@link ReleaseLoop}).
     */
    public void release(long object, ThreadContext thread) {
        releases.release(object, thread);
    }

    /**
     * One object's {@code tp_dealloc}: untrack, drop references (through {@code visitor}, which
     * queues those that reach zero), free auxiliary blocks and the object.
     */
    void deallocate(long object, ReleaseLoop.Decrements visitor, ThreadContext thread) {
        Space space = spaceOf(object);
        TypeKind kind = kindOf(object);
        if (kind.container()) space.collector().untrack(object, thread);
        long size = blockSize(object);
        // _Py_DECREF_TYPE and _Py_DECREF_CODE: the references taken by _Py_INCREF_TYPE / _CODE.
        visitor.heldType = kind == TypeKind.INSTANCE && types.isHeapType(typeOf(object)) ? typeOf(object) : 0L;
        visitor.heldCode = kind == TypeKind.FUNCTION ? Memory.getLong(object + bodyOffset + Functions.FUNC_CODE) : 0L;
        traverse(object, visitor);
        long body = object + bodyOffset;
        switch (kind) {
            case LIST -> Lists.freeItems(this, space, body, thread);
            case DICT -> Dicts.freeKeys(this, space, body, thread);
            case BLOB -> blobs.handleFreed(object, thread);
            default -> { }
        }
        int pre = kind.container() ? space.preHeaderSize() : 0;
        Memory.poison(object - pre, size);
        space.allocator().free(object - pre, size, thread);
    }

    /** Frees an auxiliary block (list items, dict keys) of an object in the given space. */
    void freeRaw(Space space, long block, long size, ThreadContext thread) {
        Memory.poison(block, size);
        space.allocator().free(block, size, thread);
    }

    /**
     * Frees an auxiliary block (list items, dict keys) that was just unlinked from its
     * container: under optimistic reads through the allocator's delayed path, since a reader
     * may still hold it ({@code _PyMem_FreeDelayed}), and then neither poisoned nor touched
     * here; otherwise as {@link #freeRaw}. CPython delays only for containers marked shared;
     * pxlab delays for all, which holds a little more memory for a while and is never unsafe.
     */
    void freeRawUnlinked(Space space, long block, long size, ThreadContext thread) {
        if (optimistic != null) space.allocator().freeDelayed(block, size, thread);
        else freeRaw(space, block, size, thread);
    }

    /** Allocates an auxiliary block (list items, dict keys) in the space of its owner. */
    long allocateRaw(Space space, long size, ThreadContext thread) {
        return space.allocator().allocate(size, thread);
    }
}
