using System.CommandLine;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop evaluate</c>: train on train, evaluate on test.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("evaluate", "Train a model on the train split and report ranking metrics on the test split.");
        common.AddTo(command);
        command.SetAction(parsed => 0);
        return command;
    }
}
