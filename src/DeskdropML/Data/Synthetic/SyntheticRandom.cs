namespace DeskdropML.Data.Synthetic;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64: a small, fast generator whose output is fixed by
/// its published algorithm, so a synthetic log is the same bytes on every machine and .NET version (unlike
/// <see cref="Random"/>, whose seeded sequence is an implementation detail).
/// </summary>
internal struct SyntheticRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator for stream <paramref name="stream"/> of seed <paramref name="seed"/> (independent streams per user).</summary>
    public SyntheticRandom(long seed, long stream)
    {
        ulong x = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1], safe for a logarithm.</summary>
    public double NextOpenDouble() => ((NextULong() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="n"/>) (Lemire's multiply-shift; bias below 2^-32 for n below 2^32).</summary>
    public int Next(int n) => (int)(((NextULong() >> 32) * (ulong)n) >> 32);

    /// <summary>A standard normal variate (Box–Muller, one of the pair).</summary>
    public double NextGaussian() => Math.Sqrt(-2.0 * Math.Log(NextOpenDouble())) * Math.Cos(2 * Math.PI * NextDouble());
}
