using Microsoft.Diagnostics.Runtime;

namespace Matchmaker.Bench.Heap;

/// <summary>
/// ClrMD attached to a running process, which stays suspended (ptrace) until this is disposed: ClrMD
/// cannot read a heap that is moving. With a mark, only objects reachable from the roots (strong and
/// pinned handles, stacks, the finalizer queue, dependent handles whose primary is live) count, and
/// each keeps the object it was first reached from, so the shortest retention path of any live object
/// can be printed.
/// </summary>
internal sealed class HeapWalker : IDisposable
{
    private const ulong RootParent = 0;

    private readonly DataTarget _target;
    private readonly ClrRuntime _runtime;
    private readonly Dictionary<ulong, ulong>? _parents;
    private readonly Dictionary<ulong, ClrRootKind> _rootKinds = [];

    private HeapWalker(DataTarget target, ClrRuntime runtime, bool mark)
    {
        _target = target;
        _runtime = runtime;
        if (mark)
        {
            _parents = [];
            Mark();
        }
    }

    private ClrHeap Heap => _runtime.Heap;

    public static HeapWalker Attach(int processId, bool mark)
    {
        var target = DataTarget.AttachToProcess(processId, suspend: true);
        try
        {
            var clr = target.ClrVersions.FirstOrDefault() ?? throw new InvalidOperationException($"process {processId} runs no CLR");
            return new HeapWalker(target, clr.CreateRuntime(), mark);
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    public HeapSnapshot Snapshot(int processId, long liveHeapAfterGcBytes)
    {
        var totals = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (var obj in Objects())
        {
            var name = obj.Type?.Name ?? "<unknown>";
            var (count, bytes) = totals.GetValueOrDefault(name);
            totals[name] = (count + 1, bytes + (long)obj.Size);
        }

        var types = totals.Select(pair => new TypeTotal(pair.Key, pair.Value.Count, pair.Value.Bytes))
            .OrderByDescending(type => type.Bytes)
            .ToList();
        return new HeapSnapshot(DateTimeOffset.UtcNow, processId, _parents is not null, liveHeapAfterGcBytes, types);
    }

    /// <summary>
    /// Who holds the live instances of <paramref name="typeName"/> (a trailing <c>*</c> matches a prefix):
    /// the types that first reached them, by count, then the full path from a root for a few instances
    /// spread over the heap.
    /// </summary>
    public void DescribeRetention(string typeName, int samples, TextWriter output)
    {
        if (_parents is null)
        {
            throw new InvalidOperationException("retention paths need the mark (--live)");
        }

        var prefix = typeName.EndsWith('*') ? typeName[..^1] : null;
        var instances = Objects()
            .Where(obj => obj.Type?.Name is { } name && (prefix is null ? name == typeName : name.StartsWith(prefix, StringComparison.Ordinal)))
            .Select(obj => obj.Address)
            .ToList();
        output.WriteLine($"{typeName}: {instances.Count} live instances");
        var holders = instances
            .GroupBy(address => _parents[address] == RootParent ? $"<root {_rootKinds[address]}>" : TypeName(_parents[address]))
            .OrderByDescending(group => group.Count())
            .Take(15);
        foreach (var holder in holders)
        {
            output.WriteLine($"  {holder.Count(),9}  held by {holder.Key}");
        }

        var step = Math.Max(1, instances.Count / Math.Max(1, samples));
        for (var i = 0; i < instances.Count && i / step < samples; i += step)
        {
            output.WriteLine($"  path to 0x{instances[i]:x}:");
            PrintPath(instances[i], output);
        }
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _target.Dispose();
    }

    private IEnumerable<ClrObject> Objects() =>
        Heap.EnumerateObjects().Where(obj => obj.IsValid && !obj.IsFree && (_parents is null || _parents.ContainsKey(obj.Address)));

    private void Mark()
    {
        var pending = new Queue<ulong>();
        foreach (var root in Heap.EnumerateRoots())
        {
            var address = root.Object.Address;
            if (address != 0 && _parents!.TryAdd(address, RootParent))
            {
                _rootKinds[address] = root.RootKind;
                pending.Enqueue(address);
            }
        }

        // Breadth first, so the parent recorded for each object lies on a shortest path from a root.
        while (pending.TryDequeue(out var address))
        {
            var obj = Heap.GetObject(address);
            if (!obj.IsValid || !obj.ContainsPointers)
            {
                continue;
            }

            foreach (var child in obj.EnumerateReferences(carefully: false, considerDependantHandles: true))
            {
                if (child.Address != 0 && _parents!.TryAdd(child.Address, address))
                {
                    pending.Enqueue(child.Address);
                }
            }
        }
    }

    private void PrintPath(ulong address, TextWriter output)
    {
        const int MaxDepth = 40;
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            var parent = _parents![address];
            if (parent == RootParent)
            {
                output.WriteLine($"    {TypeName(address)}  <- root ({_rootKinds[address]})");
                return;
            }

            output.WriteLine($"    {TypeName(address)}  <- {FieldName(parent, address)} of");
            address = parent;
        }

        output.WriteLine("    ...");
    }

    private string FieldName(ulong parent, ulong child)
    {
        foreach (var reference in Heap.GetObject(parent).EnumerateReferencesWithFields(carefully: false, considerDependantHandles: true))
        {
            if (reference.Object.Address == child)
            {
                return reference.IsDependentHandle ? "dependent handle"
                    : reference.IsArrayElement ? "element"
                    : reference.Field?.Name ?? "field";
            }
        }

        return "?";
    }

    private string TypeName(ulong address) => Heap.GetObjectType(address)?.Name ?? "<unknown>";
}
