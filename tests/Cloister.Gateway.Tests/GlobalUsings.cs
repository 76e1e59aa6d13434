global using Cloister.Model.Api;
