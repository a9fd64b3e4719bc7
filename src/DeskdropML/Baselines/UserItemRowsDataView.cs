using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Baselines;

/// <summary>
/// A lazily generated <see cref="IDataView"/> of (user id, item id, label) rows, either from explicit arrays or as
/// the grid "users[first .. first + count) x all items" (user-major), without materializing row objects.
/// </summary>
internal sealed class UserItemRowsDataView : IDataView
{
    private readonly IdMap _users;
    private readonly IdMap _items;
    private readonly IdColumnKind _kind;
    private readonly int[]? _rowUsers;
    private readonly int[]? _rowItems;
    private readonly float[]? _labels;
    private readonly int _firstUser;
    private readonly long _rowCount;

    private UserItemRowsDataView(IdMap users, IdMap items, IdColumnKind kind, string userColumn, string itemColumn, string labelColumn,
        int[]? rowUsers, int[]? rowItems, float[]? labels, int firstUser, long rowCount)
    {
        _users = users;
        _items = items;
        _kind = kind;
        _rowUsers = rowUsers;
        _rowItems = rowItems;
        _labels = labels;
        _firstUser = firstUser;
        _rowCount = rowCount;
        var builder = new DataViewSchema.Builder();
        if (kind == IdColumnKind.Text)
        {
            builder.AddColumn(userColumn, TextDataViewType.Instance);
            builder.AddColumn(itemColumn, TextDataViewType.Instance);
        }
        else
        {
            builder.AddColumn(userColumn, new KeyDataViewType(typeof(uint), Math.Max(1, users.Count)));
            builder.AddColumn(itemColumn, new KeyDataViewType(typeof(uint), Math.Max(1, items.Count)));
        }
        builder.AddColumn(labelColumn, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    /// <summary>Rows given explicitly: row r is (users[rowUsers[r]], items[rowItems[r]], labels[r]).</summary>
    public static UserItemRowsDataView FromPairs(IdMap users, IdMap items, IdColumnKind kind, string userColumn, string itemColumn, string labelColumn,
        int[] rowUsers, int[] rowItems, float[] labels) =>
        new(users, items, kind, userColumn, itemColumn, labelColumn, rowUsers, rowItems, labels, 0, rowUsers.Length);

    /// <summary>Every item for each user of [firstUser, firstUser + userCount), user-major, label 0.</summary>
    public static UserItemRowsDataView Grid(IdMap users, IdMap items, IdColumnKind kind, string userColumn, string itemColumn, string labelColumn,
        int firstUser, int userCount) =>
        new(users, items, kind, userColumn, itemColumn, labelColumn, null, null, null, firstUser, (long)userCount * items.Count);

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private int UserOf(long row) => _rowUsers is null ? _firstUser + (int)(row / _items.Count) : _rowUsers[row];

    private int ItemOf(long row) => _rowItems is null ? (int)(row % _items.Count) : _rowItems[row];

    private float LabelOf(long row) => _labels is null ? 0f : _labels[row];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly UserItemRowsDataView _view;
        private long _position = -1;
        private bool _disposed;

        public Cursor(UserItemRowsDataView view) => _view = view;

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_disposed) return false;
            if (_position + 1 < _view._rowCount)
            {
                _position++;
                return true;
            }
            _position = -1;
            _disposed = true;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < 3;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var view = _view;
            Delegate getter = column.Index switch
            {
                0 when view._kind == IdColumnKind.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = view._users[view.UserOf(_position)].AsMemory()),
                1 when view._kind == IdColumnKind.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = view._items[view.ItemOf(_position)].AsMemory()),
                0 => (ValueGetter<uint>)((ref uint v) => v = (uint)view.UserOf(_position) + 1),
                1 => (ValueGetter<uint>)((ref uint v) => v = (uint)view.ItemOf(_position) + 1),
                2 => (ValueGetter<float>)((ref float v) => v = view.LabelOf(_position)),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Index, "The view has 3 columns."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            _disposed = true;
            base.Dispose(disposing);
        }
    }
}
