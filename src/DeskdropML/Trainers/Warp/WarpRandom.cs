namespace DeskdropML.Trainers.Warp;

/// <summary>
/// A small, fast, seedable generator (SplitMix64) whose sequence is fixed by this code, so seeded fits are
/// reproducible across runtimes (unlike <see cref="System.Random"/>'s unspecified algorithms).
/// </summary>
internal struct WarpRandom
{
    private ulong _state;

    public WarpRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, stream, substream) triple, e.g. (seed, epoch, thread).</summary>
    public static WarpRandom ForStream(int seed, long stream, int substream)
    {
        var r = new WarpRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(substream + 1) * 0x165667B19E3779F9UL));
        r.NextUInt64();
        return r;
    }

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>
    /// The value <see cref="NextInt"/> will return after <paramref name="ahead"/> further calls (0: the next call),
    /// without advancing the generator: SplitMix64's k-th output is a function of state + k·γ alone.
    /// </summary>
    public readonly int PeekInt(int n, int ahead) =>
        (int)(((Mix(_state + (ulong)(ahead + 1) * 0x9E3779B97F4A7C15UL) >> 32) * (ulong)(uint)n) >> 32);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n) for n &gt; 0 (multiply-shift; bias below 2^-32 · n).</summary>
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)(uint)n) >> 32);

    /// <summary>Uniform float in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));
}
