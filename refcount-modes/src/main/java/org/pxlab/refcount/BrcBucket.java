package org.pxlab.refcount;

/**
 * One of {@code brc.c}'s 257 buckets ({@code struct _brc_bucket}): a lock (the object's monitor) and the
 * threads whose tid hashes here. Used by {@link BiasedRefCount}.
 */
final class BrcBucket {
    BrcMergeQueue head;

    BrcMergeQueue find(long tid) {
        for (BrcMergeQueue q = head; q != null; q = q.next) if (q.tid == tid) return q;
        return null;
    }

    BrcMergeQueue at(int k) {
        BrcMergeQueue q = head;
        for (int i = 0; i < k && q != null; i++) q = q.next;
        return q;
    }

    void remove(BrcMergeQueue target) {
        if (head == target) {
            head = target.next;
            return;
        }
        for (BrcMergeQueue q = head; q != null; q = q.next) {
            if (q.next == target) {
                q.next = target.next;
                return;
            }
        }
    }
}
