import Foundation

extension Sequence where Element: Hashable {
    /// The elements without repeats, in their first order. (Foundation's `NSOrderedSet` is not used: on Linux,
    /// iterating it yields the repeats it was meant to drop.)
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension Sequence {
    /// The elements without repeats of `key`, in their first order.
    public func uniqued<Key: Hashable>(by key: (Element) -> Key) -> [Element] {
        var seen = Set<Key>()
        return filter { seen.insert(key($0)).inserted }
    }
}
