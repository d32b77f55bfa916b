// Preload of the main window (sandboxed, bundled to one CommonJS file): window.studio and nothing else.
import { contextBridge, ipcRenderer } from 'electron'
import { exposeStudio } from './exposeStudio.ts'

exposeStudio(contextBridge, ipcRenderer)
