@echo off
rem dangjian 离线安装（Windows）：双击运行，不需要联网。
setlocal
set "HERE=%~dp0"
set "PY="
for %%v in (3.13 3.12 3.11) do if not defined PY py -%%v -c "" >nul 2>&1 && set "PY=py -%%v"
if not defined PY python -c "import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))" >nul 2>&1 && set "PY=python"
if not defined PY goto nopython
echo 正在安装 dangjian，请稍候……
%PY% -m venv "%HERE%venv" || goto failed
"%HERE%venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --no-index --find-links "%HERE%wheels" --upgrade dangjian || goto failed
if not exist "%HERE%bin" mkdir "%HERE%bin"
copy /y "%HERE%venv\Scripts\dangjian.exe" "%HERE%bin\dangjian.exe" >nul || goto failed
powershell -NoProfile -Command "$d = '%HERE%bin'; $p = [string][Environment]::GetEnvironmentVariable('Path', 'User'); if (($p -split ';') -notcontains $d) { [Environment]::SetEnvironmentVariable('Path', ($p.TrimEnd(';') + ';' + $d).TrimStart(';'), 'User') }" || echo 未能自动设置 PATH，请手动把 %HERE%bin 加入用户环境变量 Path。
echo 安装完成。请打开一个新的“命令提示符”窗口，输入：dangjian init 我的站点
pause
exit /b 0
:nopython
echo 没有找到 Python 3.11、3.12 或 3.13。请先从本单位的软件中心安装其中一个版本，再双击本文件。
pause
exit /b 1
:failed
echo 安装失败。请把上面的提示截图发给技术人员。
pause
exit /b 1
