import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resident memory of a process from /proc, in MB: now and peak.
func residentMegabytes(pid: String = "self") -> (now: Double, peak: Double) {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
    func value(_ key: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
        return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }
    return (value("VmRSS:"), value("VmHWM:"))
}

/// CPU time (user and system) a running process has used so far, from /proc; nil where
/// there is no /proc. The kernel counts it in ticks of 10 ms.
func cpuSeconds(pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    // Fields after the command name: state is field 3, utime 14, stime 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Mean, median, 95th percentile and maximum of samples in milliseconds.
func summary(_ samples: [Double]) -> String {
    let sorted = samples.sorted()
    let mean = samples.reduce(0, +) / Double(max(1, samples.count))
    return String(format: "mean %.3f ms, median %.3f ms, p95 %.3f ms, max %.3f ms (%d samples)",
                  mean, median(samples), percentile95(samples), sorted.last ?? 0, samples.count)
}

func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The smallest sample that at least 95 % of the samples do not exceed.
func percentile95(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
}

/// Prints a line at once, unbuffered: a long run shows each figure as soon as it is known.
func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
