/**
 * An example pxlab plug-in: {@link org.pxlab.examples.buddy.BuddyAllocator}, a binary buddy
 * allocator, registered as {@code buddy} by {@link org.pxlab.examples.buddy.BuddyAllocatorProvider}
 * and named by the configuration {@code buddy-gil} ({@link org.pxlab.examples.buddy.BuddyGilConfiguration}).
 * Both are found through {@link java.util.ServiceLoader} (this module's {@code META-INF/services}),
 * so a jar of this module on the class path adds them to pxlab without an edit elsewhere.
 */
package org.pxlab.examples.buddy;
