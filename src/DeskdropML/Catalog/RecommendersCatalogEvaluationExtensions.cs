using DeskdropML.Catalog;
using Microsoft.ML;

namespace DeskdropML;

/// <summary>Evaluation on the recommenders catalog: <c>mlContext.Recommenders().Evaluate(...)</c>.</summary>
public static class RecommendersCatalogEvaluationExtensions
{
    /// <summary>
    /// Evaluates a fitted DeskdropML model on train and test views: top-k metrics of every test user with relevant
    /// items, with 95% bootstrap intervals, the exact random expectation and the accounting of every test pair (see
    /// <see cref="Evaluation.DataViewEvaluation"/>).
    /// </summary>
    public static Evaluation.DataViewEvaluationResult Evaluate(this RecommendersCatalog catalog, ITransformer model, IDataView trainData, IDataView testData,
        int k = 10, Evaluation.Protocols.CandidatePolicy candidates = Evaluation.Protocols.CandidatePolicy.Seen,
        string? userIdColumnName = null, string? itemIdColumnName = null, int bootstrapResamples = Evaluation.Bootstrap.DefaultResamples, int? numberOfThreads = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Evaluation.DataViewEvaluation.Evaluate(model, trainData, testData, k, candidates, userIdColumnName, itemIdColumnName, bootstrapResamples, numberOfThreads);
    }
}
