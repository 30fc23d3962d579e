using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>
/// What a run is about to write and what it wrote, so that a failure, a cancellation or a crash can remove exactly that
/// (DESIGN.md §3, rollback). Every write is journaled <em>before</em> it is sent; multipart uploads are journaled as the
/// store opens them. With a state folder the journal is also a file, one JSON line per event, flushed to the operating
/// system as each line is written so that it survives <c>kill -9</c> of the process; it is deleted once the run
/// committed or its rollback was verified.
/// </summary>
internal sealed class RunJournal : IUploadObserver, IDisposable
{
    private static readonly JsonSerializerOptions LineOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    // Runs of this process still in progress: a journal left by an ended run of a live process (a long-running server)
    // is as dead as one left by a killed process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> ActiveRuns = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly List<JournaledWrite> _writes = [];
    private readonly Dictionary<string, MultipartUpload> _openUploads = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private FileStream? _file;
    private bool _active;

    private RunJournal(RunHeader header, TimeProvider clock, string? path)
    {
        Header = header;
        _clock = clock;
        Path = path;
    }

    /// <summary>Who ran, against which registry and package, when, and what <c>latest</c> was then.</summary>
    public RunHeader Header { get; private set; }

    /// <summary>The durable journal file; null when the run keeps its journal in memory only.</summary>
    public string? Path { get; }

    /// <summary>Whether the commit point (<c>latest</c>) was reached.</summary>
    public bool Committed { get; private set; }

    /// <summary>Starts a journal; with <paramref name="stateDirectory"/>, its file is <c>runs/&lt;run id&gt;.jsonl</c> below it.</summary>
    public static RunJournal Start(string registry, string package, string? latestAtStart, TimeProvider clock, string? stateDirectory)
    {
        var header = new RunHeader(
            Guid.NewGuid().ToString("N"), Environment.ProcessId, ProcessStart(), registry, package, latestAtStart, clock.GetUtcNow(), null);
        string? path = null;
        if (!string.IsNullOrEmpty(stateDirectory))
        {
            var folder = System.IO.Path.Combine(stateDirectory, "runs");
            Directory.CreateDirectory(folder);
            path = System.IO.Path.Combine(folder, header.RunId + ".jsonl");
        }

        var journal = new RunJournal(header, clock, path);
        ActiveRuns[header.RunId] = 0;
        journal._active = true;
        if (path is not null)
        {
            journal._file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
            journal.Append(new JournalLine
            {
                Type = "run", Run = header.RunId, Pid = header.ProcessId, At = header.Started, Registry = registry, Package = package, Latest = latestAtStart,
                Version = header.ProcessStarted?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return journal;
    }

    /// <summary>Reads a journal file back (a crashed run's); a torn last line, cut by the crash, is ignored.</summary>
    public static RunJournal? Load(string path, TimeProvider clock)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        RunJournal? journal = null;
        var byId = new Dictionary<int, JournaledWrite>();
        foreach (var text in lines)
        {
            JournalLine? line;
            try
            {
                line = JsonSerializer.Deserialize<JournalLine>(text, LineOptions);
            }
            catch (JsonException)
            {
                continue;
            }

            if (line is null)
            {
                continue;
            }

            if (line.Type == "run")
            {
                DateTimeOffset? processStarted = DateTimeOffset.TryParse(line.Version, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var ps) ? ps : null;
                journal = new RunJournal(
                    new RunHeader(line.Run ?? "", line.Pid ?? 0, processStarted, line.Registry ?? "", line.Package ?? "", line.Latest, line.At ?? DateTimeOffset.MinValue, null),
                    clock,
                    path);
                continue;
            }

            if (journal is null)
            {
                return null;
            }

            journal.Replay(line, byId);
        }

        return journal;
    }

    /// <summary>Records that a write is about to be sent.</summary>
    public JournaledWrite Intend(WriteKind kind, ObjectLocation target)
    {
        lock (_gate)
        {
            var write = new JournaledWrite(_writes.Count + 1, kind, target with { VersionId = null }, _clock.GetUtcNow());
            _writes.Add(write);
            Append(new JournalLine { Type = "intent", Id = write.Id, Kind = KindName(kind), Bucket = target.Bucket, Key = target.Key, At = write.Intended });
            return write;
        }
    }

    /// <summary>Records that the store confirmed the write.</summary>
    public void Landed(JournaledWrite write, ObjectLocation landed, string? etag)
    {
        lock (_gate)
        {
            write.State = WriteState.Landed;
            write.VersionId = landed.VersionId;
            write.ETag = etag;
            Append(new JournalLine { Type = "landed", Id = write.Id, Version = landed.VersionId, ETag = etag });
        }
    }

    /// <summary>Records that the store refused the write, or that it was never sent.</summary>
    public void Refused(JournaledWrite write)
    {
        lock (_gate)
        {
            write.State = WriteState.Refused;
            Append(new JournalLine { Type = "refused", Id = write.Id });
        }
    }

    /// <summary>Records that the write ended without an answer.</summary>
    public void Uncertain(JournaledWrite write)
    {
        lock (_gate)
        {
            write.State = WriteState.Uncertain;
            Append(new JournalLine { Type = "uncertain", Id = write.Id });
        }
    }

    /// <summary>Records the top hash the run is committing, before its manifest is written.</summary>
    public void Committing(string topHash)
    {
        lock (_gate)
        {
            Header = Header with { TopHash = topHash };
            Append(new JournalLine { Type = "top", Top = topHash });
        }
    }

    /// <summary>Records that <c>latest</c> now names this run's revision: nothing is rolled back after this.</summary>
    public void Commit()
    {
        lock (_gate)
        {
            Committed = true;
            Append(new JournalLine { Type = "committed" });
        }
    }

    /// <inheritdoc/>
    public void UploadStarted(MultipartUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        lock (_gate)
        {
            _openUploads[upload.UploadId] = upload;
            Append(new JournalLine { Type = "upload", Bucket = upload.Bucket, Key = upload.Key, Upload = upload.UploadId });
        }
    }

    /// <inheritdoc/>
    public void UploadEnded(MultipartUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        lock (_gate)
        {
            _openUploads.Remove(upload.UploadId);
            Append(new JournalLine { Type = "upload-end", Upload = upload.UploadId });
        }
    }

    /// <summary>A copy of the writes journaled so far.</summary>
    public IReadOnlyList<JournaledWrite> Writes()
    {
        lock (_gate)
        {
            return [.. _writes];
        }
    }

    /// <summary>Multipart uploads opened and not yet completed or aborted.</summary>
    public IReadOnlyList<MultipartUpload> OpenUploads()
    {
        lock (_gate)
        {
            return [.. _openUploads.Values];
        }
    }

    /// <summary>Whether the run is still in progress in this process (false once its journal was disposed).</summary>
    public static bool IsActiveInThisProcess(string runId) => ActiveRuns.ContainsKey(runId);

    /// <summary>Closes and deletes the journal file: the run committed or its rollback was verified.</summary>
    public void Discard()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
            if (Path is not null)
            {
                File.Delete(Path);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_active)
        {
            ActiveRuns.TryRemove(Header.RunId, out _); // only the run's own journal, not one loaded by a cleanup
        }

        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private static DateTimeOffset? ProcessStart()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            return new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string KindName(WriteKind kind) => kind switch
    {
        WriteKind.Data => "data",
        WriteKind.Overwrite => "overwrite",
        WriteKind.Manifest => "manifest",
        WriteKind.Pointer => "pointer",
        _ => "latest",
    };

    private static WriteKind? ParseKind(string? kind) => kind switch
    {
        "data" => WriteKind.Data,
        "overwrite" => WriteKind.Overwrite,
        "manifest" => WriteKind.Manifest,
        "pointer" => WriteKind.Pointer,
        "latest" => WriteKind.Latest,
        _ => null,
    };

    private void Replay(JournalLine line, Dictionary<int, JournaledWrite> byId)
    {
        switch (line.Type)
        {
            case "intent" when line.Id is { } id && ParseKind(line.Kind) is { } kind && line.Bucket is not null && line.Key is not null:
                var write = new JournaledWrite(id, kind, new ObjectLocation(line.Bucket, line.Key), line.At ?? Header.Started);
                byId[id] = write;
                _writes.Add(write);
                break;
            case "landed" when line.Id is { } id && byId.TryGetValue(id, out var landed):
                landed.State = WriteState.Landed;
                landed.VersionId = line.Version;
                landed.ETag = line.ETag;
                break;
            case "refused" when line.Id is { } id && byId.TryGetValue(id, out var refused):
                refused.State = WriteState.Refused;
                break;
            case "uncertain" when line.Id is { } id && byId.TryGetValue(id, out var uncertain):
                uncertain.State = WriteState.Uncertain;
                break;
            case "upload" when line.Upload is not null && line.Bucket is not null && line.Key is not null:
                _openUploads[line.Upload] = new MultipartUpload(line.Bucket, line.Key, line.Upload, null);
                break;
            case "upload-end" when line.Upload is not null:
                _openUploads.Remove(line.Upload);
                break;
            case "top" when line.Top is not null:
                Header = Header with { TopHash = line.Top };
                break;
            case "committed":
                Committed = true;
                break;
        }
    }

    private void Append(JournalLine line)
    {
        if (_file is null)
        {
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, LineOptions);
        _file.Write(bytes);
        _file.WriteByte((byte)'\n');
        _file.Flush(flushToDisk: false);
    }
}
