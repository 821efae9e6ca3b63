/// Union–find with path halving and union by size.
struct DisjointSets {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var node = element
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    /// Joins the sets of two roots; returns the root of the joined set.
    @discardableResult
    mutating func unionRoots(_ a: Int, _ b: Int) -> Int {
        var rootA = a
        var rootB = b
        guard rootA != rootB else { return rootA }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
        return rootA
    }

    /// How many elements the set of `root` holds.
    func size(ofRoot root: Int) -> Int { size[root] }
}
