// placeholder: written by the module's author
