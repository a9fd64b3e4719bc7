using DeskdropML.Cli;

return DeskdropCli.Run(args);
