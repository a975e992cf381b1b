#nullable enable
using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The seal at the end of checkpoint.bin: 8 bytes "SSSEAL01", the body's length (int64) and the SHA-256 of the body
/// (FIPS 180-4). <see cref="Verify"/> tells a complete, unchanged checkpoint from an empty, truncated or damaged one,
/// each with one clear line, before a single weight is loaded.
/// </summary>
public static class CheckpointSeal
{
    static readonly byte[] Marker = Encoding.ASCII.GetBytes("SSSEAL01");
    public const int Length = 8 + 8 + 32;

    /// <summary>Writes the body through <paramref name="body"/> atomically and appends the seal.</summary>
    public static void Write(string path, Action<Stream> body) =>
        AtomicFile.Write(path, s =>
        {
            using var h = new HashingStream(s);
            body(h);
            h.Flush();
            s.Write(Marker);
            s.Write(BitConverter.GetBytes(h.Count));
            s.Write(h.Hash());
        });

    /// <summary>
    /// Throws a <see cref="SelfSimException"/> for an empty, truncated or changed file; returns false for a checkpoint
    /// written before seals existed (it cannot be checked), true for a verified one.
    /// </summary>
    public static bool Verify(string path, string fix)
    {
        using var f = File.OpenRead(path);
        long len = f.Length;
        if (len == 0)
            throw new SelfSimException($"The checkpoint '{path}' is empty (0 bytes): the run was stopped while saving or the disk was full. {fix}");
        if (len >= Length)
        {
            var seal = new byte[Length];
            f.Seek(len - Length, SeekOrigin.Begin);
            f.ReadExactly(seal);
            if (seal.AsSpan(0, 8).SequenceEqual(Marker))
            {
                long bodyLen = BitConverter.ToInt64(seal, 8);
                if (bodyLen != len - Length)
                    throw new SelfSimException($"The checkpoint '{path}' is damaged: its seal promises {bodyLen} bytes but the file holds {len - Length}. {fix}");
                f.Seek(0, SeekOrigin.Begin);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buf = new byte[1 << 20];
                long left = bodyLen;
                while (left > 0)
                {
                    int n = f.Read(buf, 0, (int)Math.Min(buf.Length, left));
                    if (n <= 0) break;
                    sha.AppendData(buf, 0, n);
                    left -= n;
                }
                if (!sha.GetHashAndReset().AsSpan().SequenceEqual(seal.AsSpan(16, 32)))
                    throw new SelfSimException($"The checkpoint '{path}' is corrupted: its SHA-256 does not match the one saved with it (the file changed after it was written). {fix}");
                return true;
            }
        }
        return false;
    }

    /// <summary>A write-only pass-through stream that hashes and counts what goes through it.</summary>
    sealed class HashingStream : Stream
    {
        readonly Stream inner;
        readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public HashingStream(Stream inner) => this.inner = inner;
        public long Count { get; private set; }
        public byte[] Hash() => sha.GetHashAndReset();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) { sha.AppendData(buffer); inner.Write(buffer); Count += buffer.Length; }
        public override void WriteByte(byte value) => Write(new[] { value });
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) sha.Dispose(); base.Dispose(disposing); }
    }
}
