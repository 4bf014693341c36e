package org.pxlab.experiments.workload;

import java.util.List;
import java.util.Random;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.CodeBody;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * TechEmpower's database, in memory, for the {@code db}, {@code queries} and {@code updates}
 * workloads: the {@code World} table as a module-level list of rows, and the stand-in for
 * {@code random.randint(1, rows)} that picks a request's rows.
 *
 * <pre>
 * class World:
 *     __slots__ = ("id", "randomNumber")
 *
 * worlds = [...]           # rows World rows: id 1..rows, randomNumber 1..10000
 *
 * def random_id(n):        # a deterministic function of the request in place of randint(1, rows)
 *     return (n * 7919 + 13) % rows + 1
 * </pre>
 *
 * The rows are built at set-up as an ORM would load them; {@code randomNumber} comes from a
 * seeded {@link Random}, so every run builds the same table, and a Java copy of it checks
 * answers. {@code random_id} is Python, not Java, so that each pick costs a request what a
 * call of {@code randint} does: a call of a shared module-level function. (CPython's
 * {@code randint} also advances the shared state of the module's {@code Random}; this one
 * shares nothing but the function and its constants.) Options: {@code rows} (default 10000,
 * as TechEmpower's table), {@code seed} (default 42).
 */
final class WorldTable {
    static final int MAX_NUMBER = 10_000;

    final long module;
    /** The module-level list of rows. */
    final long worlds;
    final int rows;
    /** {@code randomNumber} of row id {@code i + 1}, as set up. */
    final int[] randomNumbers;
    /** The interned {@code "id"} and {@code "randomNumber"}, the keys of every answer. */
    final long idKey, numberKey;
    /** The constant {@code ("id", "randomNumber")} of the handlers' dict displays. */
    final long keysTuple;

    private WorldTable(long module, long worlds, int rows, int[] randomNumbers, long idKey, long numberKey, long keysTuple) {
        this.module = module;
        this.worlds = worlds;
        this.rows = rows;
        this.randomNumbers = randomNumbers;
        this.idKey = idKey;
        this.numberKey = numberKey;
        this.keysTuple = keysTuple;
    }

    /** Reads {@code rows} and {@code seed} from the parameters and builds the table in a new module. */
    static WorldTable create(Mutator m, String moduleName, ComponentParameters parameters) {
        int rows = (int) parameters.longValue("rows", 10_000, 1, 10_000_000);
        long seed = parameters.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module(moduleName);
        long world = d.klass(module, "World", 0, List.of("id", "randomNumber"), false);
        Random r = new Random(seed);
        int[] numbers = new int[rows];
        long worlds = h.lists().newList(rows, t);
        for (int i = 0; i < rows; i++) {
            numbers[i] = 1 + r.nextInt(MAX_NUMBER);
            long row = h.instances().newInstance(world, t);
            h.instances().setSlotTake(row, 0, h.numbers().newInt(i + 1, t), t);
            h.instances().setSlotTake(row, 1, h.numbers().newInt(numbers[i], t), t);
            h.lists().appendTake(worlds, row, t);
        }
        d.global(module, "worlds", worlds);
        d.function(module, "random_id", 1, 1, new Object[] {7919L, 13L, (long) rows, 1L}, new String[0], b -> {
            b.loadFast(0);                          // return (n * 7919 + 13) % rows + 1
            b.loadConst(0);
            b.binaryMultiplyInt();
            b.loadConst(1);
            b.binaryAddInt();
            b.loadConst(2);
            b.binaryOp(Mutator.BinaryOp.REMAINDER);
            b.loadConst(3);
            b.binaryAddInt();
            b.returnValue();
        });
        long idKey = h.strings().intern("id", t), numberKey = h.strings().intern("randomNumber", t);
        long keys = h.tuples().of(t, h.newRef(idKey, t), h.newRef(numberKey, t));
        d.global(module, "_row_keys", keys); // the module keeps the constant alive for the Java side
        return new WorldTable(module, worlds, rows, numbers, idKey, numberKey, keys);
    }

    /**
     * {@code for w in worlds: async.protect(w)}, at set-up, for a workload whose requests
     * store into rows: under {@code split-brain} parallel code may change only a protected main
     * object (each store then takes the row's lock and the GIL, and copies the request's value
     * into the main heap); elsewhere it does nothing. Read-only workloads leave the rows
     * unprotected, so that their reads take no lock.
     */
    void protectRows(Mutator m) {
        Heap h = m.heap();
        for (long i = 0; i < rows; i++) m.protect(h.lists().getItem(worlds, i));
    }

    /** {@code random_id(n)}, computed in Java. */
    long randomId(long n) {
        return Math.floorMod(n * 7919 + 13, (long) rows) + 1;
    }

    /** The keys tuple as a code constant of a handler. */
    Definitions.ObjectConstant keysConstant() {
        return new Definitions.ObjectConstant(keysTuple);
    }

    /**
     * Checks that {@code row} is the dict {@code {"id": id, "randomNumber": number}}.
     *
     * @param workload for the message
     */
    void checkRow(Heap h, String workload, long index, long row, long id, long number) {
        if (h.kindOf(row) != TypeKind.DICT || h.dicts().size(row) != 2) {
            throw new WrongAnswer(workload, index, "expected a row dict {\"id\": ..., \"randomNumber\": ...}");
        }
        long gotId = h.dicts().getItem(row, idKey), gotNumber = h.dicts().getItem(row, numberKey);
        if (gotId == 0 || h.kindOf(gotId) != TypeKind.INT || h.numbers().intValue(gotId) != id) {
            throw new WrongAnswer(workload, index, "expected row id " + id);
        }
        if (gotNumber == 0 || h.kindOf(gotNumber) != TypeKind.INT || h.numbers().intValue(gotNumber) != number) {
            throw new WrongAnswer(workload, index, "expected randomNumber " + number + " in row " + id);
        }
    }

    /**
     * The handler body the row-fetching workloads share; {@code perRow} is the part that
     * differs, run with the row in local 4:
     *
     * <pre>
     * def handler(request):
     *     result = []
     *     rid = request
     *     i = 0
     *     while i &lt; queries:
     *         rid = random_id(rid)
     *         w = worlds[rid - 1]
     *         ...                    # perRow
     *         i = i + 1
     *     return result
     * </pre>
     *
     * Locals: request 0, result 1, rid 2, i 3, w 4 (more after them for {@code perRow});
     * constants 0, queries, 1 first; names {@code random_id}, {@code worlds} first.
     */
    static CodeBody rowsHandler(CodeBody perRow) {
        return b -> {
            b.buildList(0);                         // result = []
            b.storeFast(1);
            b.loadFast(0);                          // rid = request
            b.storeFast(2);
            b.loadConst(0);                         // i = 0
            b.storeFast(3);
            while (true) {
                b.loadFast(3);                      // while i < queries:
                b.loadConst(1);
                b.compareInt(Mutator.Compare.LT);
                if (!b.popTruth()) break;
                b.loadGlobal(0, true);              //     rid = random_id(rid)
                b.loadFast(2);
                b.call(1);
                b.storeFast(2);
                b.loadGlobal(1, false);             //     w = worlds[rid - 1]
                b.loadFast(2);
                b.loadConst(2);
                b.binarySubtractInt();
                b.binarySubscr();
                b.storeFast(4);
                perRow.run(b);
                b.loadFast(3);                      //     i = i + 1
                b.loadConst(2);
                b.binaryAddInt();
                b.storeFast(3);
                b.jumpBackward();                   // JUMP_BACKWARD
            }
            b.loadFast(1);                          // return result
            b.returnValue();
        };
    }
}
