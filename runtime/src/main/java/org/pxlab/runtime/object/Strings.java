package org.pxlab.runtime.object;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;

/**
 * {@code str} and {@code bytes}: a length, a cached hash and the bytes inline, NUL-terminated,
 * as CPython's compact ASCII strings and {@code PyBytesObject} keep them. pxlab's strings
 * hold UTF-8 and index by byte; the workloads use ASCII.
 *
 * <p>The hash is 64-bit FNV-1a over the bytes, computed on first use and cached (CPython uses
 * SipHash; what matters here is that it is computed once and stored in the object, which is
 * a write to a shared string the first time any thread hashes it).
 */
public final class Strings {
    /** Body offsets. */
    public static final int LENGTH = 0, HASH = 8, DATA = 16;

    private final Heap heap;
    private final Map<String, Long> interned = new HashMap<>();

    Strings(Heap heap) {
        this.heap = heap;
    }

    static long bodySize(long length) {
        return (DATA + length + 1 + 7) & ~7L;
    }

    /** A new {@code str} from Java text (set-up code; allocates Java objects). New reference. */
    public long newStr(String text, ThreadContext thread) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long o = allocate(heap.types().strType(), TypeKind.STR, bytes.length, thread);
        Memory.fromArray(bytes, 0, o + heap.bodyOffset() + DATA, bytes.length);
        return o;
    }

    /** A new {@code str} or {@code bytes} holding a copy of {@code length} bytes at {@code from}. New reference. */
    public long newFromBytes(long type, TypeKind kind, long from, long length, ThreadContext thread) {
        long o = allocate(type, kind, length, thread);
        Memory.copy(from, o + heap.bodyOffset() + DATA, length);
        return o;
    }

    /** A new object of the given string kind with uninitialised data of the given length. New reference. */
    long allocate(long type, TypeKind kind, long length, ThreadContext thread) {
        long o = heap.allocate(type, kind, bodySize(length), thread);
        long body = o + heap.bodyOffset();
        Memory.putLong(body + LENGTH, length);
        Memory.putLong(body + HASH, 0L);
        Memory.putByte(body + DATA + length, (byte) 0);
        return o;
    }

    /**
     * The interned, immortal {@code str} for this text (3.12 makes every interned string
     * immortal). Borrowed; lives as long as the runtime. Set-up code only.
     */
    public long intern(String text, ThreadContext thread) {
        Long o = interned.get(text);
        if (o != null) return o;
        long s = newStr(text, thread);
        heap.spaceOf(s).refcount().makeImmortal(s);
        heap.noteImmortalized(s);
        interned.put(text, s);
        return s;
    }

    /** Length in bytes. */
    public long length(long s) {
        return Memory.getLong(s + heap.bodyOffset() + LENGTH);
    }

    /** Address of the first byte. */
    public long data(long s) {
        return s + heap.bodyOffset() + DATA;
    }

    /** The cached hash, computed and stored on first use. Never 0. */
    public long hash(long s) {
        long body = s + heap.bodyOffset();
        long h = Memory.getLong(body + HASH);
        if (h != 0) return h;
        h = 0xcbf29ce484222325L;
        long n = Memory.getLong(body + LENGTH);
        for (long i = 0; i < n; i++) {
            h ^= Memory.getByte(body + DATA + i) & 0xff;
            h *= 0x100000001b3L;
        }
        if (h == 0 || h == -1) h = 2; // 0 marks "not computed"; -1 is an error value in CPython
        Memory.putLong(body + HASH, h);
        return h;
    }

    /** Content equality of two strings (or two bytes) objects. */
    public boolean equal(long a, long b) {
        if (a == b) return true;
        long n = length(a);
        return n == length(b) && Memory.equalBytes(data(a), data(b), n);
    }

    /** Lexicographic order of two strings' bytes (unsigned), as {@code str} comparison orders ASCII text: negative, zero or positive. */
    public int compare(long a, long b) {
        long na = length(a), nb = length(b);
        long da = data(a), db = data(b);
        long n = Math.min(na, nb);
        for (long i = 0; i < n; i++) {
            int c = (Memory.getByte(da + i) & 0xff) - (Memory.getByte(db + i) & 0xff);
            if (c != 0) return c;
        }
        return Long.compare(na, nb);
    }

    /** Content equality with Java text (tests and answer checks; allocates). */
    public boolean equalsText(long s, String text) {
        return toJava(s).equals(text);
    }

    /** {@code a + b}. New reference; the inputs are borrowed. */
    public long concat(long a, long b, ThreadContext thread) {
        long na = length(a), nb = length(b);
        long type = heap.typeOf(a);
        long o = allocate(type, heap.kindOf(a), na + nb, thread);
        long d = data(o);
        Memory.copy(data(a), d, na);
        Memory.copy(data(b), d + na, nb);
        return o;
    }

    /**
     * {@code sep.join(items)} over a list or tuple of strings. New reference; inputs borrowed.
     *
     * @throws PyException TypeError if an item is not a string of the separator's kind
     */
    public long join(long sep, long items, ThreadContext thread) {
        TypeKind kind = heap.kindOf(sep);
        long n = heap.kindOf(items) == TypeKind.LIST ? heap.lists().size(items) : heap.tuples().size(items);
        boolean list = heap.kindOf(items) == TypeKind.LIST;
        long ns = length(sep);
        long total = n > 0 ? ns * (n - 1) : 0;
        for (long i = 0; i < n; i++) {
            long item = list ? heap.lists().getItem(items, i) : heap.tuples().getItem(items, i);
            if (heap.kindOf(item) != kind) {
                throw new PyException("TypeError", "sequence item " + i + ": expected " + kind.name().toLowerCase() + " instance");
            }
            total += length(item);
        }
        long o = allocate(heap.typeOf(sep), kind, total, thread);
        long d = data(o);
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                Memory.copy(data(sep), d, ns);
                d += ns;
            }
            long item = list ? heap.lists().getItem(items, i) : heap.tuples().getItem(items, i);
            long len = length(item);
            Memory.copy(data(item), d, len);
            d += len;
        }
        return o;
    }

    /** {@code str.encode()} (UTF-8 to bytes: a copy). New reference. */
    public long encode(long s, ThreadContext thread) {
        return newFromBytes(heap.types().bytesType(), TypeKind.BYTES, data(s), length(s), thread);
    }

    /** Whether {@code s} starts with {@code prefix} (both borrowed). */
    public boolean startsWith(long s, long prefix) {
        long np = length(prefix);
        return np <= length(s) && Memory.equalBytes(data(s), data(prefix), np);
    }

    /**
     * Whether every character is below U+0100, which CPython stores one byte per character
     * ({@code PyUnicode_1BYTE_KIND}): in UTF-8, ASCII bytes and two-byte sequences led by
     * {@code 0xC2} or {@code 0xC3}.
     */
    public boolean isLatin1(long s) {
        long d = data(s), n = length(s);
        for (long i = 0; i < n; i++) {
            int b = Memory.getByte(d + i) & 0xff;
            if (b < 0x80) continue;
            if (b != 0xC2 && b != 0xC3) return false;
            i++; // the continuation byte
        }
        return true;
    }

    /** {@code str(v)} of an int ({@code long_to_decimal_string}): a new str of its decimal digits. New reference. */
    public long fromLong(long v, ThreadContext thread) {
        int len = v < 0 ? 2 : 1;
        for (long q = v / 10; q != 0; q /= 10) len++;
        long o = allocate(heap.types().strType(), TypeKind.STR, len, thread);
        long d = data(o);
        long q = v;
        int i = len - 1;
        do {
            Memory.putByte(d + i--, (byte) ('0' + Math.abs(q % 10)));
            q /= 10;
        } while (q != 0);
        if (v < 0) Memory.putByte(d, (byte) '-');
        return o;
    }

    /**
     * {@code html.escape(s)} (quote=True): {@code &}, {@code <}, {@code >}, {@code "} and
     * {@code '} become {@code &amp;}, {@code &lt;}, {@code &gt;}, {@code &quot;} and
     * {@code &#x27;}. As a C escape function does (markupsafe's {@code escape_unicode}, and
     * {@code str.replace}, which {@code html.escape} calls), a string with nothing to escape
     * is returned itself, +1; otherwise a new str. New reference.
     */
    public long escapeHtml(long s, ThreadContext thread) {
        long d = data(s), n = length(s);
        long extra = 0;
        for (long i = 0; i < n; i++) extra += escapeLength(Memory.getByte(d + i)) - 1;
        if (extra == 0) return heap.newRef(s, thread);
        long o = allocate(heap.types().strType(), TypeKind.STR, n + extra, thread);
        long out = data(o);
        for (long i = 0; i < n; i++) {
            byte b = Memory.getByte(d + i);
            String e = switch (b) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#x27;";
                default -> null;
            };
            if (e == null) {
                Memory.putByte(out++, b);
            } else {
                for (int j = 0; j < e.length(); j++) Memory.putByte(out++, (byte) e.charAt(j));
            }
        }
        return o;
    }

    private static int escapeLength(byte b) {
        return switch (b) {
            case '&' -> 5;
            case '<', '>' -> 4;
            case '"', '\'' -> 6;
            default -> 1;
        };
    }

    /** Copies the text out (tests, answer checks, reports; allocates). */
    public String toJava(long s) {
        return new String(Memory.toArray(data(s), (int) length(s)), StandardCharsets.UTF_8);
    }
}
